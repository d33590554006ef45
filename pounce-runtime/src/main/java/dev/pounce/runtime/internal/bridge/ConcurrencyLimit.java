package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.LoadLimits;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's cap on HTTP requests in flight ({@code --limit-concurrency}), with the short queue in front of it
 * ({@code --limit-queue}, {@code --timeout-queue}).
 *
 * <p>A request takes a slot when it is dispatched to the app and gives it back when the app's call is over. With no
 * slot free, it waits in the queue, oldest first, until a slot frees or its time in the queue is up; with the queue
 * full too, it is refused at once. A newcomer never overtakes a waiting request: while anyone waits, it queues.
 *
 * <p>Threads: {@link #tryStart}, {@link #enqueue}, {@link #withdraw} and {@link #saturated} run on the worker's event loop, which also
 * owns the queue, so the queue needs no lock. {@link #release} runs on the app's thread when its call ends; it gives
 * the slot back with one atomic decrement, and hops to the loop only when someone waits. The count of slots in use is
 * the one value both sides touch. No lock, and nothing shared with other workers.
 */
final class ConcurrencyLimit {

    /** A request in the queue. Both methods are called on the event loop, once, and only one of them. */
    interface Waiter {
        /** A slot is now the request's: dispatch it. */
        void admit();

        /** Its time in the queue is up: refuse it. */
        void refuse();
    }

    private record Entry(Waiter waiter, ScheduledFuture<?> timer) {
    }

    private final int limit;
    private final int queueLimit;
    private final long queueTimeoutNanos;
    private final AtomicInteger active = new AtomicInteger();
    /** The waiting requests, oldest first; the event loop's alone. */
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /**
     * How many wait, written by the loop after each change of the queue: a releasing thread reads it to know whether
     * it must hop to the loop. Written after the queue grows and read after the slot count drops, on both sides, so
     * at least one side sees the other's change (see {@link #enqueue}).
     */
    private volatile int waiting;
    /** The worker's event loop, as the first queued request named it; where a releasing thread hops to. */
    private volatile Executor loop;

    private ConcurrencyLimit(LoadLimits limits) {
        this.limit = limits.limitConcurrency();
        this.queueLimit = limits.limitQueue();
        this.queueTimeoutNanos = limits.queueTimeout().toNanos();
    }

    /**
     * @param limits the configuration
     * @return the worker's limit, or empty when {@code --limit-concurrency} is 0
     */
    static Optional<ConcurrencyLimit> of(LoadLimits limits) {
        return limits.limitConcurrency() > 0 ? Optional.of(new ConcurrencyLimit(limits)) : Optional.empty();
    }

    /**
     * Takes a slot for a request, if one is free and no one waits. On the event loop.
     *
     * @return whether the request has a slot and may be dispatched now
     */
    boolean tryStart() {
        return queue.isEmpty() && tryAcquire();
    }

    /**
     * Queues a request that {@link #tryStart} could not start. On the event loop.
     *
     * @param loop   the worker's event loop: where the queue's timer runs and releases hop to
     * @param waiter the request, told later, on the loop, whether it was admitted or refused; it may be admitted
     *               before this returns
     * @return false if the queue is full: refuse the request now
     */
    boolean enqueue(ScheduledExecutorService loop, Waiter waiter) {
        if (queue.size() >= queueLimit) {
            return false;
        }
        this.loop = loop;
        queue.add(new Entry(waiter, loop.schedule(() -> timedOut(waiter), queueTimeoutNanos, TimeUnit.NANOSECONDS)));
        waiting = queue.size();
        // A slot may have been released after tryStart, by a thread that then saw no one waiting.
        admitWaiting();
        return true;
    }

    /**
     * A started request's call is over: its slot goes back, to the oldest waiting request if there is one. Any
     * thread.
     */
    void release() {
        active.decrementAndGet();
        if (waiting > 0) {
            try {
                loop.execute(this::admitWaiting);
            } catch (RejectedExecutionException e) {
                // The loop has stopped: its connections, and the requests waiting on them, are gone.
            }
        }
    }

    /**
     * A waiting request's client left: it leaves the queue, and is neither admitted nor refused. On the event loop.
     *
     * @param waiter the request
     */
    void withdraw(Waiter waiter) {
        for (Iterator<Entry> i = queue.iterator(); i.hasNext(); ) {
            Entry e = i.next();
            if (e.waiter() == waiter) {
                i.remove();
                e.timer().cancel(false);
                waiting = queue.size();
                return;
            }
        }
    }

    /**
     * @return whether a request offered now would not start at once: every slot is taken or someone waits. For the
     *         WebSocket handshakes, which are refused then rather than queued. On the event loop.
     */
    boolean saturated() {
        return !queue.isEmpty() || active.get() >= limit;
    }

    /** @return the slots in use now */
    int active() {
        return active.get();
    }

    /** @return the requests waiting now; on the event loop */
    int waiting() {
        return queue.size();
    }

    // Only the loop takes slots, so the count can only have dropped between the read and the increment; the loop
    // still compares and sets, so that the cap holds even if a second thread ever offered.
    private boolean tryAcquire() {
        for (int a = active.get(); a < limit; a = active.get()) {
            if (active.compareAndSet(a, a + 1)) {
                return true;
            }
        }
        return false;
    }

    private void admitWaiting() {
        while (!queue.isEmpty() && tryAcquire()) {
            Entry e = queue.poll();
            waiting = queue.size();
            e.timer().cancel(false);
            e.waiter().admit();
        }
    }

    private void timedOut(Waiter waiter) {
        for (Iterator<Entry> i = queue.iterator(); i.hasNext(); ) {
            if (i.next().waiter() == waiter) {
                i.remove();
                waiting = queue.size();
                waiter.refuse();
                return;
            }
        }
    }
}
