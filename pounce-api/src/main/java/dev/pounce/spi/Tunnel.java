package dev.pounce.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * An accepted upgrade: ordered bytes both ways between an {@link UpgradeProvider} and the client, over whatever the
 * origin is (the whole TCP connection for HTTP/1.1, one stream for HTTP/2 and HTTP/3), with the origin's own flow
 * control both ways: TCP's for HTTP/1.1, the stream's windows for HTTP/2 and 3.
 *
 * <p>Methods may be called from any thread; calls from one thread take effect in the order made, and the origin hops
 * to its event loop where it must. After the tunnel closed, writes are dropped and their buffers released.
 */
public interface Tunnel {

    /** @return the connection the tunnel runs on */
    ConnectionInfo connection();

    /** @return the connection's event loop, where {@link TunnelListener} is called */
    EventLoop eventLoop();

    /**
     * Queues bytes for the client and flushes them. Never blocks: a writer that cares about memory checks
     * {@link #writable()} first and waits with {@link #whenWritable}.
     *
     * @param bytes what to send; ownership passes to the tunnel
     */
    void write(ByteBuf bytes);

    /**
     * @return whether the client can take more now: the channel is writable and, for a stream, its send window open
     */
    boolean writable();

    /**
     * Runs {@code callback} once, on the event loop, as soon as {@link #writable()} is true (at once if it is), or
     * when the tunnel closes.
     *
     * @param callback what to run; must not block
     */
    void whenWritable(Runnable callback);

    /**
     * Returns inbound credit: the provider has processed {@code bytes} delivered bytes. The origin delivers at most
     * its window of unconsumed bytes (64 KiB on HTTP/1.1, the stream's receive window on HTTP/2 and 3), then stops
     * reading until credit comes back, so a slow provider pushes back on the client.
     *
     * @param bytes how many delivered bytes were processed
     */
    void consumed(int bytes);

    /**
     * Ends the provider's direction once queued bytes are out: HTTP/1.1 shuts the connection's output and closes it
     * when the client ends too (or after a short linger), HTTP/2 and 3 send END_STREAM. The client's bytes may still
     * arrive until it ends its own direction.
     */
    void end();

    /** Aborts at once: HTTP/1.1 closes the connection, HTTP/2 resets the stream with CANCEL. */
    void reset();
}
