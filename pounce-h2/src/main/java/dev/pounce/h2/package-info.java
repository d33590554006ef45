/**
 * The HTTP/2 protocol plugin: {@link dev.pounce.h2.Http2ProtocolHandler} (TLS ALPN {@code h2}, h2c by prior
 * knowledge), {@link dev.pounce.h2.H2cTakeover} (h2c by HTTP/1.1 upgrade), the connection handler they install,
 * and its settings, {@link dev.pounce.h2.Http2Section} ({@code --no-http2}, {@code --http2-...}) read as
 * {@link dev.pounce.h2.Http2Config}.
 *
 * <p>Decisions a reader cannot see at a glance:
 * <ul>
 *   <li>Netty's lower-level {@code Http2ConnectionHandler} with our own frame listener, not
 *       {@code Http2FrameCodec} with {@code Http2MultiplexHandler}. The multiplexer gives each stream a child
 *       channel whose reads return flow-control credit as soon as a DATA frame is read; we need credit to come
 *       back only when the app has taken the bytes ({@code HttpExchange.consumed}), which
 *       {@code Http2LocalFlowController.consumeBytes} gives exactly. The remote flow controller's listener gives
 *       per-stream writability (both windows open beyond what is queued, and the channel writable), which is what
 *       the bridge blocks the app's {@code send} on. And no child channel, pipeline and promise set per stream is
 *       cheaper for the many short streams of a busy connection.</li>
 *   <li>Netty checks most of RFC 9113 sections 8.2 and 8.3 while decoding (header validation and required
 *       pseudo-headers on); {@code RequestHeads} adds the rest: duplicate pseudo-headers, {@code :protocol}
 *       without our SETTINGS_ENABLE_CONNECT_PROTOCOL or on a method other than CONNECT, {@code :path} form,
 *       values with CR, LF, NUL or edge whitespace, and a {@code host} that differs from {@code :authority}. Each is
 *       a stream error PROTOCOL_ERROR. A plain CONNECT gets 501 and too many fields 431, as on HTTP/1.1.</li>
 *   <li>Extended CONNECT (RFC 8441) is the upgrade SPI's HTTP/2 door: SETTINGS_ENABLE_CONNECT_PROTOCOL is sent
 *       only while the runtime hands the connection at least one upgrade provider, so a server without one
 *       keeps refusing {@code :protocol}. A stream asking for a token is offered to the providers of that token
 *       ({@code ConnectOffer}); none, or all declining, gets 501 naming the protocol. Until the answer the
 *       stream's DATA is held without returning its credit, so the stream window bounds it, and no body timer
 *       runs. Accepted, the stream is a {@code StreamTunnel}: 200 without END_STREAM, DATA both ways under the
 *       stream's own flow control (credit back only as the provider consumes), END_STREAM for each side's end,
 *       RST_STREAM CANCEL for a reset. The listener is first called on the loop's turn after the 200, never
 *       inside {@code accept}. A tunnel is an active stream: it counts against the concurrent-stream limit and
 *       keeps the connection from its idle timeout; GOAWAY tells it to finish, and the graceful-shutdown timeout
 *       cuts it.</li>
 *   <li>The attack limits are Netty's, set from the {@code http2} config section: concurrent streams
 *       (REFUSED_STREAM beyond), header list size (431, or GOAWAY when a header block grows far past it),
 *       small-CONTINUATION count, resets per window (rapid reset: GOAWAY ENHANCE_YOUR_CALM), consecutive empty DATA
 *       frames, and control frames queued for a client that does not read (the connection is closed).</li>
 *   <li>A request body over the limit gets 413 and RST_STREAM NO_ERROR if the response has not started (NO_ERROR
 *       so clients keep the answer, RFC 9113 section 8.1), RST_STREAM CANCEL if it has. A response that ends
 *       before the request body did resets the stream the same way once its last frame is written.</li>
 *   <li>The request-body timeout ({@code timeouts().requestBody()}) is per stream, and counts only while the
 *       client is at fault for the wait: the app still wants body, both the stream's and the connection's receive
 *       windows are open, and no {@code 100 Continue} is owed. A window the app let shut by not consuming stops the
 *       clock; its opening, like each DATA frame with bytes, starts it again. On expiry: 408 then RST_STREAM
 *       NO_ERROR, or RST_STREAM CANCEL once the response started, as for 413. {@code RequestBodyTimer} keeps one
 *       scheduled check per connection, due at the earliest deadline and cancelled when no stream is timed. So
 *       that it sees the windows the client sees, {@code onDataRead} returns the bytes it does not keep itself
 *       instead of leaving it to Netty's decoder after the call.</li>
 *   <li>{@code 100 Continue} is sent when the app first asks for the body of a request with
 *       {@code Expect: 100-continue}, unless body bytes or a response came first (RFC 9110 section 10.1.1), as
 *       HTTP/1.1 does; until then such a client is not timed.</li>
 *   <li>Writes from the apps' threads arrive as event-loop tasks; each asks for one flush task behind them, so
 *       a burst of responses on a busy connection leaves in one write.</li>
 *   <li>Request trailers end the body but are not passed on: the SPI's {@code RequestBodySink} has no place for
 *       them.</li>
 * </ul>
 */
package dev.pounce.h2;
