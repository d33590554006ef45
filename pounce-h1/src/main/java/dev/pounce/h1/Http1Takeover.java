package dev.pounce.h1;

import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TakeoverRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * An HTTP/1.1 request with {@code Connection: upgrade} for a {@link dev.pounce.spi.ConnectionTakeover}'s token
 * ({@code h2c}), offered on the event loop by {@link Http1Connection} (RFC 9110 section 7.8).
 */
final class Http1Takeover implements TakeoverRequest {

    private final Http1Connection connection;
    private final RequestHead head;
    private boolean detached;

    Http1Takeover(Http1Connection connection, RequestHead head) {
        this.connection = connection;
        this.head = head;
    }

    @Override
    public Channel channel() {
        return connection.channel();
    }

    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public ConnectionContext context() {
        return connection.context();
    }

    @Override
    public ByteBuf detach() {
        if (detached) {
            return Unpooled.EMPTY_BUFFER;
        }
        detached = true;
        // The new protocol did not ask for half-closure (StreamProtocol.initialize), so a FIN closes again.
        channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        return connection.detach();
    }

    boolean detached() {
        return detached;
    }
}
