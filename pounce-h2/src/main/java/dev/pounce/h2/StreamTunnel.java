package dev.pounce.h2;

import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * An accepted extended CONNECT: one stream carries the provider's bytes both ways as DATA frames, after the
 * {@code 200}. The stream's flow control is the tunnel's, both ways: what the client sends is credited back
 * (WINDOW_UPDATE) only as the provider consumes it, so the stream's receive window bounds what waits for a slow
 * provider; and {@link #writable()} is the stream's send window and the channel, as for a response. The client's
 * END_STREAM ends its direction, {@link #end()} sends ours, {@link #reset()} is RST_STREAM CANCEL; the client's
 * RST_STREAM, the connection's loss and GOAWAY reach the listener.
 *
 * <p>Made by {@link ConnectOffer#accept} on any thread; everything else runs on the event loop, where
 * {@link ServerConnection} reports the stream's frames. A listener that throws costs its own stream, not the
 * connection's other streams.
 */
final class StreamTunnel extends AbstractTunnel implements StreamRole.TunnelBytes {

    private final ServerConnection connection;
    private final Http2Stream stream;
    private volatile boolean streamWritable = true;

    /** Delivered bytes not yet consumed, so a provider cannot return more credit than it was given. */
    private long unconsumed;

    StreamTunnel(ServerConnection connection, Http2Stream stream, TunnelListener listener) {
        super(connection.info(), connection.ctx().channel().eventLoop(), listener);
        this.connection = connection;
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
        streamWritable = isClosed() || connection.isWritable(stream);
        return streamWritable;
    }

    @Override
    protected void writeOnLoop(ByteBuf bytes) {
        // An empty DATA frame carries nothing and counts against the client's empty-frame limit.
        if (!bytes.isReadable()) {
            bytes.release();
            return;
        }
        connection.writeData(stream, bytes, false);
        connection.scheduleFlush();
        writableOnLoop();
    }

    @Override
    protected void consumedOnLoop(int bytes) {
        int n = (int) Math.min(bytes, unconsumed);
        if (n > 0) {
            unconsumed -= n;
            connection.consume(stream, n);
        }
    }

    @Override
    protected void endOnLoop() {
        connection.writeData(stream, Unpooled.EMPTY_BUFFER, true);
        connection.scheduleFlush();
    }

    @Override
    protected void resetOnLoop() {
        connection.reset(stream, Http2Error.CANCEL);
    }

    // ---- what the connection reports, on the event loop ----

    /** Refreshes {@link #writable()} without running waiters: the 200 is queued, the tunnel not open yet. */
    void refreshWritable() {
        writableOnLoop();
    }

    @Override
    public void arrived(ByteBuf data) {
        // Counted before the listener sees it: it may give the credit back before it returns.
        unconsumed += data.readableBytes();
        report(() -> received(data));
    }

    @Override
    public void clientEnded() {
        report(this::inputEnded);
    }

    /** The connection sent GOAWAY: the provider should finish. */
    void serverDraining() {
        report(this::drain);
    }

    /** The remote flow controller saw the stream's writability change. */
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
            ServerConnection.LOG.warn("tunnel listener failed on connection {} stream {}; resetting the stream",
                    connection().id(), stream.id(), e);
            try {
                reset();
            } catch (RuntimeException again) {
                ServerConnection.LOG.debug("tunnel listener failed again while closing", again);
            }
        }
    }
}
