/**
 * The HTTP/3 protocol plugin: {@link dev.pounce.h3.Http3ProtocolHandler} (QUIC on each worker's UDP socket, ALPN
 * {@code h3}), the connection and stream handlers it installs on Netty's QUIC and HTTP/3 codecs, and its settings,
 * {@link dev.pounce.h3.Http3Section} ({@code --http3}, {@code --http3-...}) read as {@link dev.pounce.h3.Http3Config}.
 *
 * <p>Decisions a reader cannot see at a glance:
 * <ul>
 *   <li>Nothing of QUIC loads unless {@code --http3} is given: the protocol handler and the section name no QUIC
 *       type, and the native library is first touched by {@code unavailable()}, which the runtime asks only of an
 *       enabled protocol (and {@code pounce info}, to tell). Where it does not load, startup stops with one line.</li>
 *   <li>Flow control is the app's, as on HTTP/2: request streams do not read by themselves ({@code autoRead} off);
 *       {@code RequestStream} reads while less than 64 KiB of body waits for the app and again as the app consumes
 *       it. QUIC credits the client (MAX_STREAM_DATA) only for bytes read out of the stream, so the stream window
 *       ({@code --http3-stream-window}) bounds what a slow app can be sent. The other way, the exchange is writable
 *       while Netty's stream channel is (the client's stream and connection windows have room), so the app's
 *       {@code send} blocks while the client does not read.</li>
 *   <li>A response's FIN is sent once its last frame is in QUIC's buffers, from that write's listener, never by
 *       {@code shutdownOutput} with frames still queued behind the flow control (which would cut them off). An end
 *       that carries nothing (an empty last chunk, trailers without fields) waits for the stream's latest write. After
 *       the FIN, a request that has not ended is read on: its FIN may simply be unread (a GET's comes with its
 *       HEADERS); body bytes still coming get STOP_SENDING H3_NO_ERROR (RFC 9114 section 4.1.1). STOP_SENDING
 *       sent before the FIN is read would make the client's own end of the request fail.</li>
 *   <li>Netty's codec checks most of RFC 9114 section 4.3 (pseudo-headers, {@code host} against
 *       {@code :authority}, {@code connection}, {@code te}, content-length against DATA) and resets the stream with
 *       H3_MESSAGE_ERROR; {@code RequestHeads} adds upper-case names, the other connection-specific fields, values
 *       with CR, LF, NUL or edge whitespace, {@code :path} form, and {@code :protocol} without our
 *       SETTINGS_ENABLE_CONNECT_PROTOCOL or on another method than CONNECT. A plain CONNECT gets 501, too many
 *       fields 431, a body over the limit 413, as on HTTP/1.1 and HTTP/2.</li>
 *   <li>Extended CONNECT (RFC 9220) is the upgrade SPI's HTTP/3 door, as RFC 8441 is HTTP/2's: SETTINGS carry
 *       SETTINGS_ENABLE_CONNECT_PROTOCOL only while the runtime hands the worker an upgrade provider, and a stream
 *       with {@code :protocol} is offered to the providers of that token ({@code ConnectOffer}); none, or all
 *       declining, gets 501. The stream reads nothing until the answer. Accepted, it is a {@code StreamTunnel}:
 *       200 without FIN, DATA both ways, read on only as the provider consumes, a FIN for each side's end,
 *       H3_REQUEST_CANCELLED for a reset; GOAWAY tells it to finish.</li>
 *   <li>One {@code QuicPort} (Netty's {@code QuicCodecDispatcher}) per bound address in the JVM: server connection
 *       ids carry the index of the socket whose codec owns the connection, so a packet the kernel hashes to
 *       another worker's socket (after a reload changed the {@code SO_REUSEPORT} group, or the client's address
 *       changed) is passed to the owner. The server keeps 8 of the client's connection ids, one per path it may
 *       have to validate.</li>
 *   <li>Draining: GOAWAY with the first client stream id not seen; streams below it finish, the connection closes
 *       with H3_NO_ERROR after the last one; a later stream is reset with H3_REQUEST_REJECTED, so the client knows
 *       it may retry it. The runtime's graceful-shutdown timeout closes what is left.</li>
 *   <li>0-RTT is off unless {@code --http3-early-data}; then BoringSSL's tickets allow early data, sealed with one
 *       key per JVM so that any thread worker resumes them, and the QUIC channel reads from its start instead of
 *       from the handshake's end (Netty begins reading at {@code channelActive}). A request read before the channel
 *       is active came in 0-RTT and could be a replay (RFC 9001 section 9.2): GET, HEAD, OPTIONS and TRACE are
 *       served with {@code early-data: 1} for the app, any other method gets 425 Too Early (RFC 8470) without
 *       reaching it. With Netty 4.2.18 a 0-RTT packet read before the server has resumed the session stays
 *       undecrypted in quiche until the client's next packet, usually its Finished; its requests are then served
 *       after the handshake, as 1-RTT ones, which is safe but saves nothing.</li>
 * </ul>
 */
package dev.pounce.h3;
