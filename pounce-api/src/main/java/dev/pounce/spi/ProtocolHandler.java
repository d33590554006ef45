package dev.pounce.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.List;

/**
 * One protocol (HTTP/1.1, HTTP/2, HTTP/3, or a third party's), found by {@link java.util.ServiceLoader}. It turns a
 * connection's bytes into exchanges and hands each to {@link ConnectionContext#bridge()}.
 *
 * <p>The runtime loads providers once at startup, on the main thread, and shares each instance across all workers
 * and connections, so an implementation holds no per-connection state. Choosing a protocol for a connection:
 * over TLS by ALPN ({@link #alpnIds()}); in cleartext by showing each handler the first bytes ({@link #detect}); when
 * none recognises them, the handler with {@link #cleartextFallback()} serves the connection.
 */
public interface ProtocolHandler {

    /**
     * Called by the runtime at startup and for logs.
     *
     * @return a short stable name such as {@code http/1.1} or {@code h2}
     */
    String name();

    /**
     * Called at startup to build the TLS ALPN list.
     *
     * @return the ALPN protocol ids this handler serves, in preference order; empty if it is not negotiated by ALPN
     */
    List<String> alpnIds();

    /**
     * @return what the protocol runs on
     */
    TransportKind transport();

    /**
     * Three-way detection on a cleartext stream connection, called on the event loop with the bytes read so far
     * (from the start of the connection). Must not block, must not change the buffer's indexes, and must answer
     * {@link Detection#NEED_MORE} only while the bytes are a strict prefix of what it looks for. Called again with
     * more bytes after {@code NEED_MORE}.
     *
     * @param prefix the bytes read so far, from reader index on
     * @return whether these bytes open this protocol
     */
    Detection detect(ByteBuf prefix);

    /**
     * Whether this protocol serves a cleartext connection that no handler recognised. HTTP/1.1 does, because it has
     * no preface; at most one present handler should.
     *
     * @return true for the fallback protocol
     */
    default boolean cleartextFallback() {
        return false;
    }

    /**
     * Installs this protocol's handlers at the end of a new connection's pipeline, on the event loop, once the
     * protocol is chosen. Bytes the runtime read while choosing are fired into the pipeline right after this
     * returns. Must not block.
     *
     * @param channel the connection, already registered and active
     * @param context the runtime's view of the connection: config, bridge, upgrades
     */
    void initialize(Channel channel, ConnectionContext context);
}
