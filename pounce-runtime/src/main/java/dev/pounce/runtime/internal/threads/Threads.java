package dev.pounce.runtime.internal.threads;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.ThreadFactory;

/** Named thread factories: {@code pounce-worker-3}, {@code pounce-acceptor}, {@code pounce-lifecycle}. */
public final class Threads {

    private Threads() {
    }

    /**
     * @param slot the worker slot
     * @return a factory for the worker's one event-loop thread, a Netty {@link FastThreadLocalThread}
     */
    public static ThreadFactory worker(int slot) {
        return r -> new FastThreadLocalThread(r, "pounce-worker-" + slot);
    }

    /** @return a factory for the shared acceptor's event-loop thread */
    public static ThreadFactory acceptor() {
        return r -> new FastThreadLocalThread(r, "pounce-acceptor");
    }

    /**
     * A platform thread that runs the server's lifecycle or another control task.
     *
     * @param name the thread's name after {@code pounce-}
     * @param task what it runs
     * @return the started thread
     */
    public static Thread control(String name, Runnable task) {
        return Thread.ofPlatform().name("pounce-" + name).daemon(false).start(task);
    }
}
