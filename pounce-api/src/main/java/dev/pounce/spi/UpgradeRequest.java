package dev.pounce.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** A request that asks to switch protocols, as the origin protocol offers it to an {@link UpgradeHandler}. */
public interface UpgradeRequest {

    /** @return the connection */
    Channel channel();

    /** @return the request head, validated by the origin protocol */
    RequestHead head();

    /** @return the runtime's view of the connection */
    ConnectionContext context();

    /**
     * Removes the origin protocol's handlers from the pipeline. Call once, on the event loop, when taking the
     * connection. The returned bytes arrived after the request head and belong to the new protocol; the caller owns
     * them.
     *
     * @return the bytes already read past the request, possibly empty
     */
    ByteBuf detach();
}
