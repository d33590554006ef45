/**
 * The {@code process} worker strategy: child JVMs ({@link dev.pounce.runtime.internal.process.ChildMain}) that each
 * bind the port with {@code SO_REUSEPORT}, and the control channel (a Unix domain socket) over which the supervisor
 * sends the whole frozen config ({@link dev.pounce.runtime.internal.process.ConfigCodec}) and drain and stop orders,
 * and the child reports ready and heartbeats.
 *
 * <p>Heartbeats are liveness, not only counters: the child sends one each second only while its event loop runs a
 * probe ({@link dev.pounce.runtime.internal.process.Heartbeat}), and the parent kills (SIGKILL) a child silent for
 * 10 s, which the supervisor then restarts like any dead worker. Tests may shorten the 10 s through the system
 * property {@code pounce.internal.heartbeatSilenceMillis}, read when the server starts; it is not a public setting.
 */
package dev.pounce.runtime.internal.process;
