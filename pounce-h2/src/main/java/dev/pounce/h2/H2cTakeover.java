package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TakeoverRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Settings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Takes an HTTP/1.1 request with {@code Upgrade: h2c} over to HTTP/2 (RFC 7540 section 3.2; RFC 9113 deprecates
 * the mechanism but curl and the JDK client still use it): checks the {@code HTTP2-Settings} field, answers
 * {@code 101 Switching Protocols}, installs HTTP/2 and serves the request that asked as stream 1. A request it
 * cannot take (TLS, HTTP/2 off, a draining worker, a missing or malformed {@code HTTP2-Settings}) is declined and
 * HTTP/1.1 serves it as usual, as section 3.2 allows. HTTP/1.1 offers it each such request on the connection's event
 * loop; stateless, one instance serves every connection.
 */
public final class H2cTakeover implements ConnectionTakeover {

    private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            + "Upgrade: h2c\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** Fields that belong to the HTTP/1.1 hop and must not reach an HTTP/2 request (RFC 9113 section 8.2.2). */
    private static final List<String> HOP_FIELDS = List.of("connection", "upgrade", "http2-settings", "keep-alive",
            "proxy-connection", "transfer-encoding");

    /** Creates the takeover; called by {@link java.util.ServiceLoader}. */
    public H2cTakeover() {
    }

    /** @return {@code h2c} */
    @Override
    public String token() {
        return "h2c";
    }

    /**
     * Called by HTTP/1.1 on the event loop for a request with {@code Upgrade: h2c}: answers 101, switches the
     * connection to HTTP/2 and serves the request as stream 1, or declines without touching the channel.
     */
    @Override
    public boolean takeOver(TakeoverRequest request) {
        var context = request.context();
        if (!context.config().section(Http2Config.SECTION).enabled() || context.info().secure()
                || context.draining()) {
            return false;
        }
        RequestHead head = request.head();
        Optional<Http2Settings> settings = settings(head.headers());
        if (settings.isEmpty()) {
            return false;
        }
        Channel channel = request.channel();
        ByteBuf rest = request.detach();
        channel.write(Unpooled.wrappedBuffer(SWITCHING), channel.voidPromise());
        ServerConnection connection = ServerConnection.install(channel, context);
        connection.serveUpgrade(new RequestHead(head.method(), head.target(), "2", streamFields(head.headers())),
                settings.get());
        // Whatever followed the request (the client's preface, at least) is HTTP/2's now.
        if (rest.isReadable()) {
            channel.pipeline().fireChannelRead(rest);
            channel.pipeline().fireChannelReadComplete();
        } else {
            rest.release();
        }
        return true;
    }

    /**
     * The settings the client sent in its one {@code HTTP2-Settings} field, which {@code Connection} must name
     * (RFC 7540 section 3.2.1): a base64url SETTINGS payload.
     */
    static Optional<Http2Settings> settings(Headers headers) {
        List<String> values = headers.all("http2-settings");
        boolean named = headers.all("connection").stream()
                .anyMatch(v -> List.of(v.toLowerCase(Locale.ROOT).split(",")).stream()
                        .anyMatch(t -> t.strip().equals("http2-settings")));
        if (values.size() != 1 || !named) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(values.getFirst().strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (payload.length % 6 != 0) {
            return Optional.empty();
        }
        var settings = new Http2Settings();
        ByteBuf in = Unpooled.wrappedBuffer(payload);
        try {
            while (in.isReadable()) {
                char id = in.readChar();
                long value = in.readUnsignedInt();
                settings.put(id, Long.valueOf(value));
            }
        } catch (IllegalArgumentException e) {
            // A value out of its range (RFC 9113 section 6.5.2).
            return Optional.empty();
        } finally {
            in.release();
        }
        return Optional.of(settings);
    }

    private static Headers streamFields(Headers headers) {
        var b = Headers.builder();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!HOP_FIELDS.contains(name) && !(name.equals("te") && !headers.value(i).strip().equalsIgnoreCase("trailers"))) {
                b.add(name, headers.value(i));
            }
        }
        return b.build();
    }
}
