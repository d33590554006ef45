/**
 * The bridges from protocols to the app: {@link dev.pounce.runtime.internal.bridge.AppBridge} answers the health path
 * itself, believes a trusted proxy's fields ({@link dev.pounce.runtime.internal.bridge.ProxyHeaders}, for
 * {@code --forwarded-allow-ips}), gives each request its id, builds the scope and runs one app call per request on a virtual thread
 * ({@link dev.pounce.runtime.internal.bridge.HttpCall}, {@link dev.pounce.runtime.internal.bridge.WebSocketCall}),
 * turning its blocking receive and send into calls on the protocol's exchange, and writes the access log;
 * {@link dev.pounce.runtime.internal.bridge.DrainBridge} answers the late arrivals of a shutdown;
 * {@link dev.pounce.runtime.internal.bridge.LifespanRunner} runs lifespan startup and shutdown.
 *
 * <p>Why {@code Send} returns before the bytes are written: DESIGN.md section 5 measured that waiting for each write
 * costs 1.77x the CPU per request. So a send hands the chunk to the event loop and returns, and blocks only while the
 * exchange is not writable. The response start is held until the first body chunk so the two go out in one write.
 *
 * <p>Why the health path, the trusted proxies, the request id and the access log live here and not in the protocols: every protocol, ours
 * and a third party's, then gets them the same way, with no protocol code.
 *
 * <p>The load limits ({@link dev.pounce.runtime.internal.bridge.ConcurrencyLimit} for {@code --limit-concurrency},
 * {@link dev.pounce.runtime.internal.bridge.RateLimiter} for {@code --rate-limit}) live here for the same reason, after
 * the health path (a probe is never limited) and after the trusted proxies (a bucket is the believed client's). Each
 * worker's bridge has its own: the rate table and the queue are touched on the worker's event loop only, the count of
 * slots with one atomic operation from the app's thread, so no lock is taken and nothing is shared between workers;
 * with N workers the server takes up to N times each limit.
 */
package dev.pounce.runtime.internal.bridge;
