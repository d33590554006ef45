/**
 * The runtime's core. A newcomer reads it in this order: {@link dev.pounce.runtime.internal.plugins.Plugins} finds the
 * plugins; {@link dev.pounce.runtime.internal.Preflight} checks everything that can fail before a socket is bound;
 * {@link dev.pounce.runtime.internal.ServerStart} assembles the server (app, lifespan, sockets, workers,
 * supervisor) and returns the {@link dev.pounce.runtime.internal.ServerRuntime} handle;
 * {@link dev.pounce.runtime.internal.LifecycleDriver} runs the pure lifecycle state machine and carries out its
 * effects, the graceful one through {@link dev.pounce.runtime.internal.ShutdownDrain} and
 * {@link dev.pounce.runtime.internal.RollingReload}; {@link dev.pounce.runtime.internal.SignalHandlers} turns process
 * signals into lifecycle messages.
 */
package dev.pounce.runtime.internal;
