package dev.pounce.spi.kit;

import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.RejectedExecutionException;

/** The hop from any thread to a connection's event loop, as every exchange, tunnel and session makes it. */
public final class Loop {

    private Loop() {
    }

    /**
     * Runs {@code task} on {@code loop}: at once when called on it, else queued behind what is already there, so
     * calls from one thread keep their order. If the loop has stopped (the worker and its connections are gone), the
     * task is dropped and {@code owned} released.
     *
     * @param loop  the connection's event loop
     * @param task  what to run
     * @param owned a buffer the task would have taken ownership of, or null
     */
    public static void run(EventLoop loop, Runnable task, Object owned) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(owned);
        }
    }
}
