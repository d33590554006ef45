package dev.pounce.runtime.internal.threads;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.ThreadFactory;

/** Named thread factories: {@code pounce-worker-3}, {@code pounce-listener}, {@code pounce-lifecycle}. */
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

    /**
     * @return a factory for the server's own event-loop thread, which keeps the listening sockets, runs the accept
     *         distributor and answers late arrivals during a shutdown
     */
    public static ThreadFactory listener() {
        return r -> new FastThreadLocalThread(r, "pounce-listener");
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
