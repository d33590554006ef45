package dev.pounce.spi.kit;

import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The part of a {@link Tunnel} that does not depend on the origin protocol: the hop to the event loop, the order of
 * the two ends and the close, the listener told of each once, and the writability waiters. An origin's tunnel extends
 * it with the five {@code ...OnLoop} methods that touch its channel or stream, and reports what it sees through
 * {@link #received}, {@link #inputEnded}, {@link #drain} and {@link #closed}.
 */
public abstract class AbstractTunnel implements Tunnel {

    private final ConnectionInfo connection;
    private final EventLoop loop;
    private final TunnelListener listener;
    private final Waiters waiters = new Waiters();
    private boolean outputEnded;
    private boolean inputEnded;
    private boolean reset;
    private boolean closed;

    /**
     * @param connection the connection the tunnel runs on
     * @param loop       its event loop
     * @param listener   the provider's listener
     */
    protected AbstractTunnel(ConnectionInfo connection, EventLoop loop, TunnelListener listener) {
        this.connection = connection;
        this.loop = loop;
        this.listener = listener;
    }

    @Override
    public final ConnectionInfo connection() {
        return connection;
    }

    @Override
    public final EventLoop eventLoop() {
        return loop;
    }

    @Override
    public final void write(ByteBuf bytes) {
        Loop.run(loop, () -> {
            if (closed || outputEnded) {
                bytes.release();
            } else {
                writeOnLoop(bytes);
            }
        }, bytes);
    }

    @Override
    public final void whenWritable(Runnable callback) {
        Loop.run(loop, () -> {
            if (closed || writableOnLoop()) {
                callback.run();
            } else {
                waiters.add(callback);
            }
        }, null);
    }

    @Override
    public final void consumed(int bytes) {
        if (bytes > 0) {
            Loop.run(loop, () -> {
                if (!closed) {
                    consumedOnLoop(bytes);
                }
            }, null);
        }
    }

    @Override
    public final void end() {
        Loop.run(loop, () -> {
            if (!closed && !outputEnded) {
                outputEnded = true;
                endOnLoop();
            }
        }, null);
    }

    @Override
    public final void reset() {
        Loop.run(loop, () -> {
            if (!closed) {
                reset = true;
                resetOnLoop();
                closed();
            }
        }, null);
    }

    // ---- what the origin does, on the event loop ----

    /** @return whether the channel (and for a stream, its window) can take more now */
    protected abstract boolean writableOnLoop();

    /**
     * Writes and flushes bytes to the client.
     *
     * @param bytes the bytes; ownership passes
     */
    protected abstract void writeOnLoop(ByteBuf bytes);

    /**
     * Gives credit back to the client: reads more, or opens the window.
     *
     * @param bytes how many delivered bytes were processed
     */
    protected abstract void consumedOnLoop(int bytes);

    /** Ends our direction after what is queued: shut the output, or END_STREAM. */
    protected abstract void endOnLoop();

    /** Aborts: close the connection, or RST_STREAM CANCEL. */
    protected abstract void resetOnLoop();

    // ---- what the origin reports, on the event loop ----

    /**
     * Bytes from the client.
     *
     * @param data the bytes; ownership passes
     */
    public final void received(ByteBuf data) {
        if (closed || inputEnded) {
            data.release();
        } else {
            listener.onData(data);
        }
    }

    /** The client ended its direction; told once. */
    public final void inputEnded() {
        if (!closed && !inputEnded) {
            inputEnded = true;
            listener.onEnd();
        }
    }

    /** The server drains; the provider is told so that it can finish. */
    public final void drain() {
        if (!closed) {
            listener.onDrain();
        }
    }

    /** The channel or stream can take more now: waiters run. */
    public final void writabilityChanged() {
        if (!waiters.isEmpty() && writableOnLoop()) {
            waiters.runAll();
        }
    }

    /**
     * The tunnel is gone (the connection or stream closed); the listener is told once, clean only if both directions
     * had ended and nobody reset it.
     */
    public final void closed() {
        if (closed) {
            return;
        }
        closed = true;
        waiters.runAll();
        listener.onClosed(!reset && outputEnded && inputEnded);
    }

    /** @return whether our direction has ended */
    public final boolean outputEnded() {
        return outputEnded;
    }

    /** @return whether the client's direction has ended */
    public final boolean isInputEnded() {
        return inputEnded;
    }

    /** @return whether the tunnel is gone */
    public final boolean isClosed() {
        return closed;
    }
}
