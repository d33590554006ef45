package dev.pounce.spi;

import dev.pounce.api.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * A request that asks for an {@link UpgradeProvider}'s token, as the origin protocol offers it. Made by the origin
 * (HTTP/1.1 for {@code Upgrade:}, HTTP/2 and HTTP/3 for extended CONNECT); its methods may be called from any thread,
 * and exactly one of {@link #accept} and {@link #deny} must be called once the offer is taken.
 */
public interface UpgradeOffer {

    /**
     * @return the request head as validated by the origin: the method ({@code GET} on HTTP/1.1, {@code CONNECT} on
     *         HTTP/2 and 3), the target, the version ({@code 1.1}, {@code 2}, {@code 3}) and the fields, {@code host}
     *         first on HTTP/2 and 3
     */
    RequestHead head();

    /** @return the token asked for, lower-case */
    String token();

    /** @return the connection's context: config, bridge, connection facts */
    ConnectionContext context();

    /** @return the event loop of the connection; the tunnel's callbacks run on it */
    EventLoop eventLoop();

    /**
     * Accepts: the origin writes its success response with these extra fields ({@code 101 Switching Protocols} with
     * {@code Connection: upgrade} and {@code Upgrade: TOKEN} on HTTP/1.1, {@code 200} on HTTP/2 and 3), then carries
     * bytes both ways. Bytes the client sent after the request head, before this answer, are delivered to the
     * listener first, after {@link TunnelListener#onOpen}, which hands the listener its tunnel and comes on the event
     * loop's next turn, never inside this call. If the client has already gone, the listener hears {@code onOpen}
     * then {@link TunnelListener#onClosed} at once.
     *
     * <p>Exactly one answer: a second {@code accept} or {@code deny} throws {@link IllegalStateException}; an answer
     * after the client left (see {@link #whenCancelled}) is dropped and its buffers released. A drain that came
     * while the offer waited reaches the listener as {@link TunnelListener#onDrain} after the early bytes.
     *
     * @param headers  the provider's fields for the success response ({@code Sec-WebSocket-Accept}, ...)
     * @param listener who receives the client's bytes, on the event loop
     * @return the tunnel, usable at once; its writes follow the success response
     */
    Tunnel accept(Headers headers, TunnelListener listener);

    /**
     * Denies with an ordinary response, written by the origin as it writes any response: on HTTP/1.1 the connection
     * then goes on with the next request (or closes, by the usual rules), on HTTP/2 and 3 the stream ends.
     *
     * @param status  200 to 599; another status throws {@link IllegalArgumentException}
     * @param headers the response fields
     * @param body    the whole body, possibly empty; ownership passes to the origin
     */
    void deny(int status, Headers headers, ByteBuf body);

    /**
     * Runs {@code callback} once, on the event loop, if the client goes away (or resets the stream) before the offer
     * is answered; at once if it already has. Any later answer is then dropped.
     *
     * @param callback what to run; must not block
     */
    void whenCancelled(Runnable callback);
}
