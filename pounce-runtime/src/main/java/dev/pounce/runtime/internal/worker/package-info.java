/**
 * Workers: each an event loop of its own with its own listener ({@code SO_REUSEPORT}, so the kernel spreads
 * connections with no thundering herd), or fed by the {@link dev.pounce.runtime.internal.worker.SharedAcceptor}
 * where a port cannot be shared (a Unix domain socket, a platform without {@code SO_REUSEPORT}, or
 * {@code --no-reuse-port}). Also the connection setup that picks a protocol for each connection, and the built-in
 * {@code thread} worker strategy.
 */
package dev.pounce.runtime.internal.worker;
