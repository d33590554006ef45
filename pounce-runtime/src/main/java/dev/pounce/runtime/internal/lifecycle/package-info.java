/**
 * The server's lifecycle as a pure state machine (the Elm architecture): {@link
 * dev.pounce.runtime.internal.lifecycle.Lifecycle#update} takes a state and a message and gives the next state and
 * the effects to run. It touches no socket and no thread, so every transition is a plain unit test; the runtime's
 * driver runs the effects and feeds their results back as messages.
 */
package dev.pounce.runtime.internal.lifecycle;
