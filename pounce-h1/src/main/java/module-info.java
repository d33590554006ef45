import dev.pounce.h1.Http1ProtocolHandler;

/**
 * HTTP/1.1 for Pounce: the cleartext fallback protocol and the {@code http/1.1} ALPN id over TLS, with a strict
 * request parser (request-smuggling defences), keep-alive, pipelining, chunked bodies, and {@code Upgrade:}
 * (RFC 9110 section 7.8) in two forms: a {@link dev.pounce.spi.ConnectionTakeover} ({@code h2c}) takes the whole
 * connection, an {@link dev.pounce.spi.UpgradeProvider} ({@code websocket}) is offered the request and gets a
 * {@link dev.pounce.spi.Tunnel} over the connection.
 *
 * <p>The runtime finds it with {@link java.util.ServiceLoader}; nothing names it:
 * <pre>{@code
 * java -p pounce.jar:plugins -m dev.pounce.cli/dev.pounce.cli.Main myapp:app
 * }</pre>
 */
@SuppressWarnings("module") // the name's trailing digit is the protocol's ("h1"), on purpose
module dev.pounce.h1 {
    requires dev.pounce.api;

    // HTTP/1.0 and 1.1 on TCP, TLS (ALPN "http/1.1", offered last) and Unix sockets; the cleartext fallback.
    provides dev.pounce.spi.ProtocolHandler with Http1ProtocolHandler;
}
