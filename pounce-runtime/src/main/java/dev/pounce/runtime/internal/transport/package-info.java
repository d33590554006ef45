/**
 * Socket transports: which of epoll, io_uring and NIO this machine has, and how each binds TCP and Unix domain
 * socket listeners, with {@code SO_REUSEPORT} where the transport offers it.
 */
package dev.pounce.runtime.internal.transport;
