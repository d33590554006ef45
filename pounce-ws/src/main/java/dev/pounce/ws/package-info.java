/**
 * WebSocket (RFC 6455) for Pounce, over any origin that offers the {@code websocket} upgrade token: an HTTP/1.1
 * upgrade or an HTTP/2 extended CONNECT (RFC 8441), with permessage-deflate (RFC 7692).
 *
 * <p>The way of a session: {@link dev.pounce.ws.WebSocketProvider} takes the offer and checks the handshake
 * ({@link dev.pounce.ws.Handshake}, {@link dev.pounce.ws.PerMessageDeflate}); the runtime's WebSocket door runs the
 * app, whose accept opens a tunnel; {@link dev.pounce.ws.Session} frames RFC 6455 over it
 * ({@link dev.pounce.ws.FrameReader}, {@link dev.pounce.ws.MessageAssembler}, {@link dev.pounce.ws.Frames}) and
 * ends it by {@link dev.pounce.ws.CloseHandshake}'s rules. The plugin never learns whether a TCP connection or an
 * HTTP/2 stream is under the tunnel.
 *
 * <p>Decisions a reader cannot see in the code:
 * <ul>
 *   <li>The app runs on its own thread, so its reply to a message can come after the next frames were read. A close
 *       the client starts, or a protocol error, therefore waits until the app has taken the messages delivered
 *       before it and asks for more (the bridge says so with {@code WebSocketSession.idle()}), so the replies go out
 *       before our close frame, as they would from a server that answers on the event loop; no timer guesses when
 *       the app is done. An app that never asks again is bounded by {@code --ws-close-timeout}. The frames after
 *       the fault are never read.</li>
 *   <li>Compression uses only the JDK ({@link java.util.zip.Deflater}, {@link java.util.zip.Inflater} with
 *       {@code nowrap}); JZlib, the usual alternative, has no module descriptor. The JDK compressor always keeps a
 *       32 KiB window and memory level 8, so a smaller window is honoured by compressing in pieces of at most
 *       2^bits bytes with a full flush after each, and without context between messages; memory is bounded by
 *       keeping a compressor per session only with context takeover, and only from its first compressed message
 *       on, and by lending them per message from a small pool otherwise.</li>
 *   <li>Every message is sent as one frame: the app hands over whole messages, and the origin's flow control,
 *       not fragmentation, keeps a large one from hogging the connection.</li>
 * </ul>
 */
package dev.pounce.ws;
