package dev.pounce.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** An HTTP/1.1 request that asks to switch the whole connection, as offered to a {@link ConnectionTakeover}. */
public interface TakeoverRequest {

    /** @return the connection */
    Channel channel();

    /** @return the request head, validated by HTTP/1.1 */
    RequestHead head();

    /** @return the runtime's view of the connection */
    ConnectionContext context();

    /**
     * Removes HTTP/1.1's handlers from the pipeline. Call once, on the event loop, when taking the connection. The
     * returned bytes arrived after the request head and belong to the new protocol; the caller owns them.
     *
     * @return the bytes already read past the request, possibly empty
     */
    ByteBuf detach();
}
