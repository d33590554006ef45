package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractUpgradeOffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * An HTTP/1.1 request with {@code Connection: upgrade} for an {@link dev.pounce.spi.UpgradeProvider}'s token,
 * offered on the event loop by {@link Http1Connection} (RFC 9110 section 7.8). The provider answers from any thread;
 * the kit hops each answer to the loop, where the connection applies it unless the client has gone.
 */
final class Http1UpgradeOffer extends AbstractUpgradeOffer<Http1Tunnel> {

    private final Http1Connection connection;
    private final Channel channel;
    private final ConnectionContext context;
    private final ParsedRequest request;

    Http1UpgradeOffer(Http1Connection connection, ParsedRequest request, String token) {
        super(connection.channel().eventLoop(), token);
        this.connection = connection;
        this.channel = connection.channel();
        this.context = connection.context();
        this.request = request;
    }

    @Override
    public RequestHead head() {
        return request.head();
    }

    @Override
    public ConnectionContext context() {
        return context;
    }

    @Override
    protected Http1Tunnel newTunnel(TunnelListener listener) {
        return new Http1Tunnel(context.info(), channel, listener);
    }

    @Override
    protected void accepted(Http1Tunnel tunnel, Headers headers) {
        connection.accepted(this, tunnel, headers);
    }

    @Override
    protected void denied(int status, Headers headers, ByteBuf body) {
        connection.denied(this, status, headers, body);
    }

    /** @return the request as parsed */
    ParsedRequest request() {
        return request;
    }
}
