/**
 * Listening sockets that belong to the server, not to a worker generation.
 *
 * <p>Why: closing a listening socket makes the kernel reset every connection it had queued on it (accepted by TCP,
 * not yet by the server), and with one {@code SO_REUSEPORT} socket per worker each reload, crash or restart used to
 * close one. So the server opens its sockets once ({@link dev.pounce.runtime.internal.listen.ServerSockets}) and
 * they stay open until it stops. A {@link dev.pounce.runtime.internal.listen.ServerListener} is moved from one
 * worker's event loop to the next (deregistered and registered again: the socket never closes and the kernel keeps
 * queueing meanwhile), so a new generation takes over its slot's socket and accepts on its own loop with no hop.
 * Process workers receive a copy of their slot's socket from the parent (a file descriptor passed over a Unix
 * socket), which keeps its own copy open while a child restarts. During a shutdown drain the listeners move to the
 * server's own loop, which answers every late arrival with the drain response through the normal protocol path, TLS
 * included, until the workers are done.
 *
 * <p>For process workers the parent also opens each slot's UDP sockets (one per datagram protocol) once, in slot
 * order, so their place in the port's {@code SO_REUSEPORT} group never changes, and attaches the protocol's classic
 * BPF program to the group ({@link dev.pounce.runtime.internal.listen.ReusePortSteering}, through the FFM API): the
 * kernel then hands each QUIC packet to the child that owns its connection, which no child could do for another.
 */
package dev.pounce.runtime.internal.listen;
