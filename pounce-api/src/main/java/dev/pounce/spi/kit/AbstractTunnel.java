package dev.pounce.spi.kit;

import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The part of a {@link Tunnel} that does not depend on the origin protocol: the hop to the event loop, the order of
 * the two ends and the close, the listener told of each once, and the writability waiters. An origin's tunnel extends
 * it with the five {@code ...OnLoop} methods that touch its channel or stream, calls {@link #open()} once its success
 * response is written, and reports what it sees through {@link #received}, {@link #inputEnded}, {@link #drain} and
 * {@link #closed}. What it reports before the listener has heard {@link TunnelListener#onOpen} waits, in order, so
 * the listener always holds its tunnel first, even when the provider accepted on the event loop inside its offer.
 */
public abstract class AbstractTunnel implements Tunnel {

    private final ConnectionInfo connection;
    private final EventLoop loop;
    private final TunnelListener listener;
    private final Waiters waiters = new Waiters();
    /** What arrived before the listener heard {@code onOpen}; null from then on. On the event loop. */
    private List<ByteBuf> held = new ArrayList<>(2);
    private boolean heldEnd;
    private boolean heldDrain;
    private boolean heldClose;
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
     * The success response is written: on the loop's next turn the listener hears {@code onOpen}, then whatever was
     * reported before, in order. Never inside the call that accepted. Called once, on the event loop.
     */
    public final void open() {
        try {
            loop.execute(this::opened);
        } catch (RejectedExecutionException e) {
            // The worker is gone, and the connection with it.
            held.forEach(ReferenceCountUtil::release);
            held = null;
            closed = true;
        }
    }

    private void opened() {
        List<ByteBuf> early = held;
        held = null;
        listener.onOpen(this);
        early.forEach(this::received);
        if (heldEnd) {
            inputEnded();
        }
        if (heldDrain) {
            drain();
        }
        if (heldClose) {
            closed();
        }
    }

    /**
     * Bytes from the client.
     *
     * @param data the bytes; ownership passes
     */
    public final void received(ByteBuf data) {
        if (held != null) {
            if (heldClose) {
                data.release();
            } else {
                held.add(data);
            }
            return;
        }
        if (closed || inputEnded) {
            data.release();
        } else {
            listener.onData(data);
        }
    }

    /** The client ended its direction; told once. */
    public final void inputEnded() {
        if (held != null) {
            heldEnd = true;
            return;
        }
        if (!closed && !inputEnded) {
            inputEnded = true;
            listener.onEnd();
        }
    }

    /** The server drains; the provider is told so that it can finish. */
    public final void drain() {
        if (held != null) {
            heldDrain = true;
            return;
        }
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
        if (held != null) {
            heldClose = true;
            return;
        }
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
