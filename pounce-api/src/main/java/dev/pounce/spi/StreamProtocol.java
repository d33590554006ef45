package dev.pounce.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * A protocol on a byte stream: TCP, TLS over TCP, or a Unix domain socket. Choosing one for a connection: over TLS by
 * ALPN ({@link #alpnIds()}); in cleartext by showing each handler the first bytes ({@link #detect}); when none
 * recognises them, the handler with {@link #cleartextFallback()} serves the connection.
 */
public non-sealed interface StreamProtocol extends ProtocolHandler {

    /**
     * Three-way detection on a cleartext connection, called on the event loop with the bytes read so far (from the
     * start of the connection). Must not block, must not change the buffer's indexes, and must answer
     * {@link Detection#NEED_MORE} only while the bytes are a strict prefix of what it looks for. Called again with
     * more bytes after {@code NEED_MORE}.
     *
     * @param prefix the bytes read so far, from reader index on
     * @return whether these bytes open this protocol
     */
    Detection detect(ByteBuf prefix);

    /**
     * Whether this protocol serves a cleartext connection that no handler recognised. HTTP/1.1 does, because it has
     * no preface; at most one enabled handler should.
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
     * <p>The connection does not allow half-closure unless the protocol sets
     * {@link io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE} on it (HTTP/1.1 does, to answer a client that sends
     * its request and then shuts its side); a protocol that sets it must handle
     * {@link io.netty.channel.socket.ChannelInputShutdownEvent}.
     *
     * @param channel the connection, already registered and active
     * @param context the runtime's view of the connection: config, bridge, upgrades
     */
    void initialize(Channel channel, ConnectionContext context);
}
