package dev.pounce.h2;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.Detection;
import dev.pounce.spi.StreamProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/2 as a Pounce protocol: ALPN id {@code h2} over TLS, offered before HTTP/1.1, and h2c by prior knowledge on
 * cleartext connections that open with the connection preface (RFC 9113 section 3.3). The runtime loads it once
 * and asks the methods here at startup, on the main thread, except {@link #detect} and {@link #initialize}, which
 * run on a connection's event loop. Stateless; one instance serves every connection.
 */
public final class Http2ProtocolHandler implements StreamProtocol {

    /** The client connection preface (RFC 9113 section 3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Creates the handler; called by {@link java.util.ServiceLoader}. */
    public Http2ProtocolHandler() {
    }

    /** @return {@code h2} */
    @Override
    public String name() {
        return "h2";
    }

    /** @return {@code [h2]} */
    @Override
    public List<String> alpnIds() {
        return List.of("h2");
    }

    /** @return the {@code http2.enabled} setting: {@code --no-http2} switches HTTP/2 off everywhere */
    @Override
    public boolean enabled(ServerConfig config) {
        return config.section(Http2Config.SECTION).enabled();
    }

    /**
     * @return 200, above HTTP/1.1's 0: a client that speaks both gets {@code h2}, the more efficient (RFC 9113
     *         section 3.2 and RFC 7301 section 3.2 let the server choose in its own order)
     */
    @Override
    public int preference() {
        return 200;
    }

    /**
     * Recognises the 24-byte connection preface; needs more while the bytes so far are a strict prefix of it.
     */
    @Override
    public Detection detect(ByteBuf prefix) {
        int length = Math.min(prefix.readableBytes(), PREFACE.length);
        int start = prefix.readerIndex();
        for (int i = 0; i < length; i++) {
            if (prefix.getByte(start + i) != PREFACE[i]) {
                return Detection.NOT_RECOGNISED;
            }
        }
        return length < PREFACE.length ? Detection.NEED_MORE : Detection.RECOGNISED;
    }

    /**
     * Adds the connection's HTTP/2 handler at the end of the pipeline; it sends the server preface at once. If
     * HTTP/2 is switched off in the config, the client gets a preface and GOAWAY {@code HTTP_1_1_REQUIRED} instead.
     */
    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        if (!enabled(context.config())) {
            ServerConnection.refuse(channel);
            return;
        }
        ServerConnection.install(channel, context);
    }
}
