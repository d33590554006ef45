package dev.pounce.spi;

import dev.pounce.api.ServerConfig;

import java.util.List;
import java.util.Optional;

/**
 * One protocol (HTTP/1.1, HTTP/2, HTTP/3, or a third party's), found by {@link java.util.ServiceLoader}. It turns a
 * connection's bytes into exchanges and hands each to the runtime's {@link Bridge}. A protocol runs on a byte stream
 * ({@link StreamProtocol}: TCP, TLS, Unix sockets) or on datagrams ({@link DatagramProtocol}: QUIC over UDP); the
 * runtime switches over the two.
 *
 * <p>The runtime loads providers once at startup, on the main thread, and shares each instance across all workers
 * and connections, so an implementation holds no per-connection state. The methods here are asked at startup.
 */
public sealed interface ProtocolHandler permits StreamProtocol, DatagramProtocol {

    /** @return a short stable name for logs and {@code pounce info}, such as {@code http/1.1} or {@code h2} */
    String name();

    /**
     * @return the ALPN protocol ids this handler serves, most preferred first; empty if it is not negotiated by ALPN
     */
    List<String> alpnIds();

    /**
     * Whether the configuration switches this protocol on. This is the one way a protocol is switched off: the
     * runtime leaves out every handler that answers false, and knows no protocol by its id. A plugin reads its own
     * {@link dev.pounce.api.ConfigSection} here (HTTP/2's {@code --no-http2}, HTTP/3's {@code --http3}).
     *
     * @param config the frozen configuration, its plugin sections built
     * @return true to serve; the default
     */
    default boolean enabled(ServerConfig config) {
        return true;
    }

    /**
     * Whether this protocol cannot run on this machine at all, such as HTTP/3 when the native QUIC library does not
     * load here. The runtime asks it at startup, on the main thread, only of the protocols the configuration enables
     * ({@link #enabled}), and refuses to start with the line it gives; {@code pounce info} asks every protocol, to say
     * which can run. So a protocol that needs a native library loads it here and nowhere earlier: a server that does
     * not enable it never touches the library. May take a while the first time (loading a library); must not block
     * on the network.
     *
     * @return empty when it can run (the default); else one line saying why not, for the operator, naming what to
     *         change, such as {@code HTTP/3 (--http3) needs netty's native QUIC library, which does not load here: ...}
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /**
     * Where this protocol's ALPN ids go in the list offered to TLS clients: higher first. The most specific and
     * efficient protocol should come first and the most general last (RFC 7301 section 3.2 has the server choose in
     * its own order): HTTP/2 says 200, HTTP/1.1 says 0, and a third party's protocol takes the default, 100.
     *
     * @return the rank
     */
    default int preference() {
        return 100;
    }

    /**
     * What this protocol advertises to clients of the other protocols: an {@code Alt-Svc} value (RFC 7838), such as
     * {@code h3=":443"; ma=86400}. The runtime adds it to every response served by another protocol. Asked once, when
     * the listening port is known.
     *
     * @param config the frozen configuration
     * @param port   the port the server listens on
     * @return the {@code Alt-Svc} field value, or empty (the default) for none
     */
    default Optional<String> altSvc(ServerConfig config, int port) {
        return Optional.empty();
    }
}
