/**
 * The runtime's core: plugin discovery ({@link dev.pounce.runtime.internal.Plugins}), the event bus, and
 * {@link dev.pounce.runtime.internal.ServerRuntime}, which starts a server and drives its lifecycle state machine.
 */
package dev.pounce.runtime.internal;
