package dev.pounce.spi;

import io.netty.buffer.ByteBuf;

/** What an {@link UpgradeProvider} hears from its {@link Tunnel}. Called on the event loop, in order; must not block. */
public interface TunnelListener {

    /**
     * The first call, made once the success response is written: the tunnel this listener serves. Made on the event
     * loop, never inside {@link UpgradeOffer#accept}, and before any other call, so a provider keeps the tunnel here
     * before the first byte arrives.
     *
     * @param tunnel the tunnel
     */
    void onOpen(Tunnel tunnel);

    /**
     * Bytes from the client, in order. The provider returns credit with {@link Tunnel#consumed} as it processes them.
     *
     * @param data the bytes; ownership passes to the listener
     */
    void onData(ByteBuf data);

    /** The client ended its direction (TCP FIN, END_STREAM): no more {@link #onData}. The provider may still write. */
    void onEnd();

    /**
     * The server drains: finish soon (a WebSocket sends close 1001). The tunnel is cut when the graceful-shutdown
     * timeout runs out. The default does nothing.
     */
    default void onDrain() {
    }

    /**
     * The tunnel is gone: the last call, made once.
     *
     * @param clean true when both directions ended ({@link Tunnel#end()} and {@link #onEnd()}); false when it was
     *              reset by either side or the connection was lost
     */
    void onClosed(boolean clean);
}
