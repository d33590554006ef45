import dev.pounce.h1.Http1ProtocolHandler;

/**
 * HTTP/1.1 for Pounce: the cleartext fallback protocol and the {@code http/1.1} ALPN id over TLS, with a strict
 * request parser (request-smuggling defences), keep-alive, pipelining, chunked bodies and the {@code Upgrade:} hook
 * that {@link dev.pounce.spi.UpgradeHandler} plugins such as WebSocket take connections through.
 *
 * <p>The runtime finds it with {@link java.util.ServiceLoader}; nothing names it:
 * <pre>{@code
 * java -p pounce.jar:plugins -m dev.pounce.cli/dev.pounce.cli.Main myapp:app
 * }</pre>
 */
@SuppressWarnings("module") // the name's trailing digit is the protocol's ("h1"), on purpose
module dev.pounce.h1 {
    requires dev.pounce.api;

    // Serves HTTP/1.0 and HTTP/1.1 on TCP, TLS (ALPN "http/1.1") and Unix sockets; the cleartext fallback.
    provides dev.pounce.spi.ProtocolHandler with Http1ProtocolHandler;
}
