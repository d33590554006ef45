package dev.pounce.runtime.internal.supervisor;

import dev.pounce.runtime.internal.threads.Threads;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog: a {@code pounce-supervisor} thread that looks at every slot once a second (and at once when a worker
 * ends), restarting dead workers through {@link WorkerSlots#tick}. Runs only with more than one worker.
 */
public final class Supervisor implements AutoCloseable {

    private final WorkerSlots slots;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;
    private Thread thread;

    /** @param slots the slots to watch */
    public Supervisor(WorkerSlots slots) {
        this.slots = slots;
    }

    /** Starts the watchdog thread. */
    public void start() {
        slots.onWorkerEnded(wake::release);
        thread = Threads.control("supervisor", this::watch);
    }

    private void watch() {
        long next = System.nanoTime();
        while (!closed) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0 && wake.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            next = slots.tick(System.nanoTime());
        }
    }

    /** Stops the watchdog; a restart under way finishes first. */
    @Override
    public void close() {
        closed = true;
        wake.release();
    }
}
