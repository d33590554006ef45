package dev.pounce.spi.kit;

import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of an {@link HttpExchange} that does not depend on the protocol: the body's way to the bridge's sink, the
 * rule that the app hears of a disconnect once, the callbacks waiting for writability, and the hop to the event
 * loop. A protocol's exchange extends it and adds the response encoding.
 *
 * <p>Every method here but {@link #whenWritable}, {@link #onLoop}, {@link #handOver} and {@link #handOverRoom} must be
 * called on the event loop; the state they guard is the event loop's alone.
 *
 * <p>The hand-over count is why an app cannot run ahead of a busy loop: the channel's writability counts only bytes
 * the loop has written, not those still waiting in its task queue, so an exchange's {@link #writable()} must also
 * ask {@link #handOverRoom()}. Without it an HTTP/1.1 app on a starved machine queued 133 MB of a response for a
 * client that read nothing.
 */
public abstract class AbstractExchange implements HttpExchange {

    /** Body bytes an app may hand to the event loop before the loop has taken them, above which it waits. */
    public static final long HANDOVER_LIMIT = 64 * 1024;

    private final EventLoop loop;
    private final AtomicLong handedOver = new AtomicLong();
    private final Waiters waiters = new Waiters();
    private RequestBodySink sink;
    private boolean ended;
    private boolean disconnected;
    private boolean bodyComplete;

    /** @param loop the connection's event loop */
    protected AbstractExchange(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public final EventLoop eventLoop() {
        return loop;
    }

    /**
     * Whether the peer can take more, asked on the event loop: the channel is writable and, for a stream, its
     * window is open.
     *
     * @return true if a write now would not grow the outbound buffer past its high-water mark
     */
    protected abstract boolean writableOnLoop();

    @Override
    public void whenWritable(Runnable callback) {
        onLoop(() -> {
            if (ended || writableOnLoop()) {
                callback.run();
            } else {
                waiters.add(callback);
            }
        }, null);
    }

    /**
     * Runs {@code task} on the event loop, in the order of the calls made from this thread (see {@link Loop#run}).
     *
     * @param task  what to run
     * @param owned a buffer the task takes ownership of, released if the loop is gone; or null
     */
    protected final void onLoop(Runnable task, ByteBuf owned) {
        Loop.run(loop, task, owned);
    }

    /**
     * Counts body bytes the app's thread is about to hand to the event loop; call before {@link #onLoop}, and give
     * the count to {@link #taken} in the task.
     *
     * @param body the bytes handed over
     * @return their count
     */
    protected final long handOver(ByteBuf body) {
        long n = body.readableBytes();
        if (n > 0) {
            handedOver.addAndGet(n);
        }
        return n;
    }

    /**
     * On the event loop, in the task that writes them: the bytes {@link #handOver} counted are the loop's now.
     *
     * @param n what {@code handOver} returned
     */
    protected final void taken(long n) {
        if (n > 0) {
            handedOver.addAndGet(-n);
        }
    }

    /** @return whether the app may hand over more before the loop has taken what it was given; any thread */
    protected final boolean handOverRoom() {
        return handedOver.get() < HANDOVER_LIMIT;
    }

    // ---- for the protocol, on the event loop ----

    /**
     * Connects the exchange to the sink the bridge returned from {@code serve}.
     *
     * @param sink where the body goes
     */
    public final void attach(RequestBodySink sink) {
        this.sink = sink;
    }

    /**
     * Passes body bytes to the app. Once the app is gone, data is dropped; once the response has ended the app wants
     * no more, so data is dropped but the end of the body is still told.
     *
     * @param data the bytes; ownership passes
     * @param last whether the body ends with them
     * @return whether the app took the bytes, and so will give them back through {@link #consumed}
     */
    public final boolean deliver(ByteBuf data, boolean last) {
        if (last) {
            bodyComplete = true;
        }
        if (disconnected || sink == null) {
            data.release();
            return false;
        }
        if (ended) {
            data.release();
            if (last) {
                sink.onData(Unpooled.EMPTY_BUFFER, true);
            }
            return false;
        }
        sink.onData(data, last);
        return true;
    }

    /**
     * The request is over for the app: the client went away or reset the stream, or the body broke a limit or a
     * timeout. The app hears it once, and only while it still waits for something (its response has not ended, or
     * its body is not all delivered); a finished exchange whose connection closes afterwards is no disconnect. Later
     * calls do nothing. Ends the response.
     */
    public final void disconnect() {
        if (disconnected) {
            return;
        }
        disconnected = true;
        boolean finished = ended && bodyComplete;
        end();
        if (sink != null && !finished) {
            sink.onDisconnect();
        }
    }

    /** The channel's or stream's writability changed: waiters run if it can take more now. */
    public final void writabilityChanged() {
        if (!waiters.isEmpty() && writableOnLoop()) {
            waiters.runAll();
        }
    }

    /** Marks the response as ended (written, aborted or abandoned) and lets every waiter go. */
    protected void end() {
        ended = true;
        waiters.runAll();
    }

    /** @return whether the response has ended */
    public final boolean ended() {
        return ended;
    }

    /** @return whether the app was told the request is over */
    public final boolean disconnected() {
        return disconnected;
    }

    /** @return whether the last body chunk has been delivered (or dropped) */
    public final boolean bodyComplete() {
        return bodyComplete;
    }
}
