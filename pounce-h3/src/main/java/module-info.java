import dev.pounce.h3.Http3ProtocolHandler;
import dev.pounce.h3.Http3Section;

/**
 * HTTP/3 over QUIC for Pounce (RFC 9114, RFC 9000), on Netty's QUIC codec (quiche and BoringSSL, native). Off unless
 * {@code --http3}; then every worker serves QUIC on its own UDP socket on the TCP port, with the server's certificate
 * (TLS 1.3 inside QUIC), and the runtime advertises it to HTTP/1.1 and HTTP/2 clients with {@code Alt-Svc}. Each
 * request stream is one exchange through the runtime's bridge, with flow control tied to the app: the stream window
 * opens as the app reads the body, and the app's {@code send} blocks while the client's window is shut. While an
 * upgrade provider (WebSocket, or a third party's) is enabled, extended CONNECT (RFC 9220) offers it streams that ask
 * for its token, and an accepted one carries its bytes as a tunnel.
 *
 * <p>The runtime finds it with {@link java.util.ServiceLoader}; nothing names it. Its settings are flags under
 * "HTTP/3 (dev.pounce.h3)" in {@code pounce --help}:
 * <pre>{@code
 * pounce --ssl-certfile cert.pem --ssl-keyfile key.pem --http3 myapp:app
 * curl --http3-only -k https://127.0.0.1:8000/
 * }</pre>
 *
 * <p>On the module path the native module ({@code io.netty.codec.quic.linux.x86_64}, a jar holding only the library)
 * is resolved only when named ({@code --add-modules ALL-MODULE-PATH}, or {@code ALL-SYSTEM} in an image), and Netty
 * 4.2.18's QUIC module reads the epoll module only with
 * {@code --add-reads io.netty.codec.classes.quic=io.netty.transport.classes.epoll,io.netty.transport.unix.common}: its descriptor names it
 * {@code io.netty.classes.epoll}. Without the latter, packets are sent one per system call instead of in GSO batches.
 */
@SuppressWarnings("module") // the name's trailing digit is the protocol's ("h3"), on purpose
module dev.pounce.h3 {
    requires dev.pounce.api;
    requires io.netty.codec.http3;
    requires io.netty.codec.classes.quic;
    // Status codes and header names come from the HTTP codec; ClientAuth from the handler module.
    requires io.netty.codec.http;
    requires io.netty.handler;
    // Only to tell an epoll socket, which can send QUIC packets in GSO batches; absent, there is none.
    requires static io.netty.transport.classes.epoll;

    // Serves HTTP/3 on each worker's UDP socket when --http3 is given (ALPN "h3" inside QUIC's TLS 1.3), and
    // advertises it to the other protocols' clients with Alt-Svc; extended CONNECT streams go to the upgrade
    // providers the runtime hands it.
    provides dev.pounce.spi.ProtocolHandler with Http3ProtocolHandler;
    // The "http3" settings: --http3, --http3-max-concurrent-streams, the windows, the idle timeout, QPACK.
    provides dev.pounce.api.ConfigSection with Http3Section;
}
