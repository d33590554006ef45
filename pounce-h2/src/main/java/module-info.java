import dev.pounce.h2.H2cTakeover;
import dev.pounce.h2.Http2ProtocolHandler;
import dev.pounce.h2.Http2Section;

/**
 * HTTP/2 for Pounce (RFC 9113): over TLS when ALPN picks {@code h2}, and in cleartext (h2c) both by prior
 * knowledge (the client starts with the connection preface) and by HTTP/1.1 {@code Upgrade: h2c}. Every stream is
 * one exchange through the runtime's bridge, with flow control tied to the app: the receive window opens as the
 * app reads the body, and the app's {@code send} blocks while the client's window is shut. While an upgrade
 * provider (WebSocket, or a third party's) is on the module path, extended CONNECT (RFC 8441) offers it streams that
 * ask for its token, and an accepted one carries its bytes as a tunnel.
 *
 * <p>The runtime finds it with {@link java.util.ServiceLoader}; nothing names it. Put the jar beside the others; its
 * settings are flags under "HTTP/2 (dev.pounce.h2)" in {@code pounce --help}:
 * <pre>{@code
 * java -p pounce.jar:plugins -m dev.pounce.cli/dev.pounce.cli.Main myapp:app --http2-max-concurrent-streams 256
 * curl --http2-prior-knowledge http://127.0.0.1:8000/
 * }</pre>
 */
@SuppressWarnings("module") // the name's trailing digit is the protocol's ("h2"), on purpose
module dev.pounce.h2 {
    requires dev.pounce.api;
    requires io.netty.codec.http2;
    // Http2ConnectionHandler is a ByteToMessageDecoder, and HTTP/2 header names come from the HTTP codec.
    requires io.netty.codec;
    requires io.netty.codec.http;
    // The frame logger type (StreamStateGuard) lives in the handler module.
    requires io.netty.handler;

    // Serves HTTP/2 on TLS (ALPN "h2", offered before "http/1.1") and on cleartext connections that open with the
    // HTTP/2 preface; extended CONNECT streams go to the upgrade providers the runtime hands it.
    provides dev.pounce.spi.ProtocolHandler with Http2ProtocolHandler;
    // Takes HTTP/1.1 requests with "Upgrade: h2c" (and HTTP2-Settings) over to HTTP/2, answering them on stream 1.
    provides dev.pounce.spi.ConnectionTakeover with H2cTakeover;
    // The "http2" settings: --no-http2, --http2-max-concurrent-streams and the other limits, read as Http2Config.
    provides dev.pounce.api.ConfigSection with Http2Section;
}
