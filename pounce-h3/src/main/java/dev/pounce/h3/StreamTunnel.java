package dev.pounce.h3;

import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.Http3ErrorCode;

/**
 * An accepted extended CONNECT over HTTP/3 (RFC 9220): one request stream carries the provider's bytes both ways in
 * DATA frames, after the {@code 200}. The stream's flow control is the tunnel's, both ways: the stream reads on only
 * as the provider consumes what it was given, so QUIC's stream window bounds what waits for a slow provider; and
 * {@link #writable()} is the stream's room to send, as for a response. The client's FIN ends its direction,
 * {@link #end()} sends ours, {@link #reset()} resets the stream (H3_REQUEST_CANCELLED both ways); the client's reset,
 * the connection's loss and GOAWAY reach the listener.
 *
 * <p>Made by {@link ConnectOffer#accept} on any thread; everything else runs on the event loop, where
 * {@link RequestStream} reports the stream's frames. A listener that throws costs its own stream only.
 */
final class StreamTunnel extends AbstractTunnel {

    private final RequestStream stream;
    private volatile boolean streamWritable = true;

    /** Delivered bytes not yet consumed, so a provider cannot return more credit than it was given. */
    private long unconsumed;

    StreamTunnel(RequestStream stream, ConnectionInfo info, TunnelListener listener) {
        super(info, stream.eventLoop(), listener);
        this.stream = stream;
    }

    @Override
    public boolean writable() {
        return streamWritable;
    }

    // ---- the origin's side of the kit, on the event loop ----

    /** Also refreshes what {@link #writable()} reads on other threads. */
    @Override
    protected boolean writableOnLoop() {
        streamWritable = isClosed() || stream.isWritable();
        return streamWritable;
    }

    @Override
    protected void writeOnLoop(ByteBuf bytes) {
        stream.writeData(bytes, false);
        writableOnLoop();
    }

    @Override
    protected void consumedOnLoop(int bytes) {
        int n = (int) Math.min(bytes, unconsumed);
        if (n > 0) {
            unconsumed -= n;
            stream.consumed(n);
        }
    }

    @Override
    protected void endOnLoop() {
        stream.writeData(Unpooled.EMPTY_BUFFER, true);
    }

    @Override
    protected void resetOnLoop() {
        stream.reset(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
    }

    // ---- what the stream reports, on the event loop ----

    /** Refreshes {@link #writable()} without running waiters: the 200 is queued, the tunnel not open yet. */
    void refreshWritable() {
        writableOnLoop();
    }

    void arrived(ByteBuf data) {
        // Counted before the listener sees it: it may give the credit back before it returns.
        unconsumed += data.readableBytes();
        report(() -> received(data));
    }

    void clientEnded() {
        report(this::inputEnded);
    }

    /** The connection said GOAWAY: the provider should finish. */
    void serverDraining() {
        report(this::drain);
    }

    void streamWritabilityChanged() {
        writableOnLoop();
        report(this::writabilityChanged);
    }

    /** The stream closed: both sides ended, someone reset it, or the connection went. */
    void streamClosed() {
        streamWritable = true;
        report(this::closed);
    }

    private void report(Runnable toListener) {
        try {
            toListener.run();
        } catch (RuntimeException e) {
            QuicConnection.LOG.warn("tunnel listener failed on connection {}; resetting the stream",
                    connection().id(), e);
            try {
                reset();
            } catch (RuntimeException again) {
                QuicConnection.LOG.debug("tunnel listener failed again while closing", again);
            }
        }
    }
}
