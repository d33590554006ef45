/**
 * The bridges from protocols to the app: {@link dev.pounce.runtime.internal.bridge.HttpBridge} builds the scope and
 * runs one app call per request on a virtual thread, turning its blocking receive and send into calls on the
 * protocol's exchange; {@link dev.pounce.runtime.internal.bridge.LifespanRunner} runs lifespan startup and shutdown.
 *
 * <p>Why {@code Send} returns before the bytes are written: DESIGN.md section 5 measured that waiting for each write
 * costs 1.77x the CPU per request. So a send hands the chunk to the event loop and returns, and blocks only while the
 * exchange is not writable. The response start is held until the first body chunk so the two go out in one write.
 */
package dev.pounce.runtime.internal.bridge;
