/**
 * The {@code process} worker strategy: child JVMs ({@link dev.pounce.runtime.internal.process.ChildMain}) that each
 * bind the port with {@code SO_REUSEPORT}, and the control channel (a Unix domain socket) over which the supervisor
 * sends the whole frozen config ({@link dev.pounce.runtime.internal.process.ConfigCodec}) and drain and stop orders,
 * and the child reports ready and heartbeats.
 */
package dev.pounce.runtime.internal.process;
