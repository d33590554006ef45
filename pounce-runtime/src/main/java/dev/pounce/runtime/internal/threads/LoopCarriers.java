package dev.pounce.runtime.internal.threads;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform threads that carry one worker's loop and apps ({@link CarriedLoop}): the scheduler of their virtual
 * threads. Normally one carrier is active and runs the queue in turn; it never parks while the loop runs, because
 * the loop's driver is always either on it or in the queue. When the queue stands still for a watchdog tick
 * ({@link #starved}), an app is holding the carrier, and {@link #compensate} starts another. A carrier that finds
 * the queue empty while another is active (the held one came back, or the new one has the driver waiting for I/O)
 * steps down and waits as a spare, and a spare unused for a while ends.
 */
final class LoopCarriers implements Executor {

    /** How long a spare carrier waits to be needed before it ends. */
    private static final long SPARE_LIFE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Most carriers one worker may have at once: beyond it, held apps hold the worker. Tests lower it with the
     * system property {@code pounce.internal.loopCarriers} to wedge a loop on purpose; it is not a public setting.
     */
    static final int MAX_CARRIERS = Math.max(1, Integer.getInteger("pounce.internal.loopCarriers", 64));

    private final String name;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final ConcurrentLinkedQueue<Carrier> spares = new ConcurrentLinkedQueue<>();
    /** Tasks taken from the queue, ever; the watchdog compares it between ticks. */
    private final AtomicLong taken = new AtomicLong();
    private volatile Runnable wake = () -> { };
    private volatile boolean ended;
    private volatile boolean driving;
    /** The one active carrier while it finds the queue empty, which only a stopping loop leaves it. */
    private volatile Thread idleCarrier;
    /** The watchdog's last look: the count taken and whether something was waiting. */
    private long lastTaken = -1;
    private boolean compensatedOnce;
    private boolean capSaid;

    LoopCarriers(String name) {
        this.name = name;
        startCarrier();
    }

    /** @param wake how to make the loop's driver leave its I/O wait, so it yields to what was queued */
    void wakeWith(Runnable wake) {
        this.wake = wake;
    }

    @Override
    public void execute(Runnable task) {
        if (ended) {
            // The loop has stopped; an app still waiting on something finishes on a thread of its own.
            Thread.ofPlatform().daemon().name(name + "-after").start(task);
            return;
        }
        queue.offer(task);
        Thread idle = idleCarrier;
        if (idle != null) {
            LockSupport.unpark(idle);
        }
        wake.run();
    }

    /** @param on whether the loop's driver is on a carrier now (it says so as it resumes and before it yields) */
    void driving(boolean on) {
        driving = on;
    }

    /** @return whether a task waits for a carrier */
    boolean hasWaiting() {
        return !queue.isEmpty();
    }

    /** Called once the loop has terminated: carriers finish the queue and end. */
    void loopEnded() {
        ended = true;
        Carrier spare;
        while ((spare = spares.poll()) != null) {
            LockSupport.unpark(spare.thread);
        }
        Thread idle = idleCarrier;
        if (idle != null) {
            LockSupport.unpark(idle);
        }
    }

    /**
     * The watchdog's question, asked once a tick from its one thread: has the queue stood still since the last tick
     * with work waiting in it?
     */
    boolean starved() {
        long now = taken.get();
        // The loop's own work (its I/O, a long handshake) is not an app holding the carrier: another carrier would
        // not help the loop's connections, and the log would blame an app.
        boolean waiting = !queue.isEmpty() && !driving;
        boolean starved = waiting && now == lastTaken;
        lastTaken = waiting ? now : -1;
        return starved;
    }

    /**
     * Puts one more carrier to work: a spare if one waits, else a new thread.
     *
     * @return whether this is the first time for this worker (the watchdog logs it once), or empty-handed at the cap
     */
    Compensation compensate() {
        Carrier spare = spares.poll();
        if (spare != null) {
            active.incrementAndGet();
            spare.wanted = true;
            LockSupport.unpark(spare.thread);
        } else if (created.get() < MAX_CARRIERS) {
            startCarrier();
        } else if (!capSaid) {
            capSaid = true;
            return Compensation.AT_CAP;
        } else {
            return Compensation.AGAIN;
        }
        lastTaken = -1;
        if (!compensatedOnce) {
            compensatedOnce = true;
            return Compensation.FIRST;
        }
        return Compensation.AGAIN;
    }

    /** What a compensation did. */
    enum Compensation { FIRST, AGAIN, AT_CAP }

    /** @return the worker's name, for the watchdog's log line */
    String name() {
        return name;
    }

    private void startCarrier() {
        active.incrementAndGet();
        int n = created.incrementAndGet();
        var carrier = new Carrier();
        carrier.thread = new io.netty.util.concurrent.FastThreadLocalThread(carrier::run,
                n == 1 ? name : name + "-" + n);
        carrier.thread.setDaemon(true);
        carrier.thread.start();
    }

    /** One carrier thread's life: run the queue; step down when another is active; end with the loop. */
    private final class Carrier {
        Thread thread;
        volatile boolean wanted;

        void run() {
            try {
                while (true) {
                    Runnable task = queue.poll();
                    if (task != null) {
                        taken.incrementAndGet();
                        task.run();
                    } else if (ended) {
                        return;
                    } else if (active.get() > 1) {
                        if (stepDown()) {
                            return;
                        }
                    } else {
                        idle();
                    }
                }
            } finally {
                created.decrementAndGet();
            }
        }

        /**
         * The one active carrier found nothing to run. While the loop runs that does not happen (its driver is always
         * on a carrier or queued); it does while a loop stops, until {@link #loopEnded}.
         */
        private void idle() {
            idleCarrier = thread;
            if (queue.isEmpty() && !ended) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
            idleCarrier = null;
        }

        /** Waits as a spare until wanted again; @return whether this carrier ends instead */
        private boolean stepDown() {
            if (active.decrementAndGet() < 1) {
                active.incrementAndGet(); // the last active carrier stays
                return false;
            }
            wanted = false;
            spares.offer(this);
            long deadline = System.nanoTime() + SPARE_LIFE_NANOS;
            while (!wanted && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && spares.remove(this)) {
                    return true;
                }
                LockSupport.parkNanos(this, Math.max(left, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return ended && !wanted;
        }
    }
}
