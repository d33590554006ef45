/**
 * The HTTP/1.1 protocol plugin: {@link dev.pounce.h1.Http1ProtocolHandler} and the connection state machine it
 * installs.
 *
 * <p>Decisions a reader cannot see at a glance:
 * <ul>
 *   <li>Our own parser, not Netty's {@code HttpServerCodec}: request smuggling is decided by exactly which bytes a
 *       server accepts, so every check is here and answers with its own status (RFC 9112 sections 2 to 7). We are
 *       strict where the RFC allows leniency: bare LF, obs-fold, two Content-Length fields even when equal, and any
 *       Transfer-Encoding but a lone {@code chunked} are refused and the connection is closed.</li>
 *   <li>Requests on a connection are served one at a time. A pipelined request (RFC 9112 section 9.3.2) waits in
 *       the receive buffer until the response before it has ended and that request's body has been read; so
 *       responses go out in request order without a reorder buffer. While it waits, at most 64 KiB is buffered
 *       before the socket stops being read.</li>
 *   <li>{@code Upgrade:} (RFC 9110 section 7.8) is taken only on an HTTP/1.1 request without a body that lists
 *       {@code upgrade} in {@code Connection}. The client's tokens are tried in its order, each first by the
 *       connection takeovers ({@code h2c}) and then by the upgrade providers ({@code websocket}). A provider that
 *       takes the offer may answer later, from any thread; until then the connection is busy as with a request in
 *       flight (pipelined bytes wait, no timer runs). Accepted, it gets {@code 101} and a {@link
 *       dev.pounce.h1.Http1Tunnel} over the whole connection, with TCP as its flow control and no HTTP timer;
 *       denied, its response is an ordinary one and the connection goes on. The tunnel's listener is first called
 *       on the loop turn after the acceptance, never inside {@code accept}, so a provider that accepts inside
 *       {@code offer} holds its tunnel before it hears anything.</li>
 *   <li>Request-body flow control is the socket itself: past 64 KiB delivered and not yet consumed by the app,
 *       the connection stops reading, and TCP pushes back on the client.</li>
 *   <li>Response framing is ours: the app's {@code Content-Length} if it gave one (a body that disagrees closes
 *       the connection), a computed one for a single-shot response, else chunked on HTTP/1.1 and close-delimited
 *       on HTTP/1.0.</li>
 *   <li>A request line is checked byte by byte as it arrives ({@link dev.pounce.h1.RequestLineScanner}): input
 *       that can no longer become HTTP (a TLS ClientHello, another binary protocol, a control byte, a method over
 *       32 bytes) is answered with 400 at once, not left waiting for a CRLF or the header timeout. A TLS handshake
 *       on a cleartext connection is told so in the body, as nginx tells plain HTTP sent to its TLS port.</li>
 *   <li>Connections allow half-closure. A client that shuts its side after its requests ({@code shutdown(SHUT_WR)},
 *       {@code nc -N}) is still answered: every request it sent whole is served in order (a response that starts
 *       after the FIN with nothing behind it says {@code Connection: close}), then the connection closes without
 *       lingering. A body left incomplete at the FIN can never complete, so the app is told of a disconnect; a
 *       partial head is dropped; either way the connection closes. A FIN alone is not a disconnect: the app hears
 *       of one only when the connection is really gone.</li>
 *   <li>Bad input gets a short text/plain answer with {@code Connection: close}; on a plain socket the output is
 *       then shut and input drained for a moment before closing, so the kernel does not reset the answer away.</li>
 * </ul>
 */
package dev.pounce.h1;
