package dev.pounce.runtime.internal.bridge;

import dev.pounce.spi.RequestBodySink;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A request waiting in the {@link ConcurrencyLimit}'s queue, and the body sink the protocol was given for it. Until it
 * is admitted it holds what body arrives (no more than the protocol's flow control lets through, since nothing is
 * consumed yet); once admitted, it hands that to the app's {@link HttpCall} and passes on everything after. If it is
 * refused, or the client leaves while it waits, the held body is released and the app never runs.
 *
 * <p>Every method runs on the event loop: the protocol calls the sink there, and the limit admits and refuses there.
 */
final class QueuedRequest implements RequestBodySink, ConcurrencyLimit.Waiter {

    private record Chunk(ByteBuf bytes, boolean last) {
    }

    private final HttpCall call;
    private final ConcurrencyLimit limit;
    private final Consumer<HttpCall> start;
    private final Runnable refuse;
    private final ArrayDeque<Chunk> held = new ArrayDeque<>(2);
    private boolean admitted;
    private boolean over;

    /**
     * @param call   the app's call, not started
     * @param limit  the limit it waits in, to leave when the client does
     * @param start  starts the call once it has a slot
     * @param refuse answers it once its wait is over
     */
    QueuedRequest(HttpCall call, ConcurrencyLimit limit, Consumer<HttpCall> start, Runnable refuse) {
        this.call = call;
        this.limit = limit;
        this.start = start;
        this.refuse = refuse;
    }

    @Override
    public void onData(ByteBuf chunk, boolean last) {
        if (admitted) {
            call.onData(chunk, last);
        } else if (over) {
            chunk.release();
        } else {
            held.add(new Chunk(chunk, last));
        }
    }

    @Override
    public void onDisconnect() {
        if (admitted) {
            call.onDisconnect();
        } else if (!over) {
            over = true;
            limit.withdraw(this);
            releaseHeld();
        }
    }

    @Override
    public void admit() {
        admitted = true;
        for (Chunk c; (c = held.poll()) != null; ) {
            call.onData(c.bytes(), c.last());
        }
        start.accept(call);
    }

    @Override
    public void refuse() {
        over = true;
        releaseHeld();
        refuse.run();
    }

    private void releaseHeld() {
        for (Chunk c; (c = held.poll()) != null; ) {
            c.bytes().release();
        }
    }
}
