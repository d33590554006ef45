package dev.pounce.spi;

import java.time.Duration;
import java.util.List;

/**
 * The workers a {@link WorkerStrategy} started, as the runtime handles them. After the start the runtime's
 * supervisor owns the slots: it replaces a dead worker, and on a rolling reload every worker, with one made by
 * {@link #newWorker}.
 */
public interface WorkerGroup {

    /** @return the workers the strategy started, by slot; the supervisor's later replacements are not listed */
    List<Worker> workers();

    /**
     * Makes a fresh worker for a slot, not yet started; the caller starts it. Called by the supervisor on its own
     * thread ({@code pounce-supervisor}): to restart a dead worker in its slot (the next generation), and on a
     * rolling reload to start generation N+1 beside N. May block briefly; must be thread-safe.
     *
     * @param slot       0 to workers-1
     * @param generation the slot's next generation
     * @return the worker
     */
    Worker newWorker(int slot, int generation);

    /**
     * Drains every worker.
     *
     * @param reason why
     */
    default void drain(String reason) {
        workers().forEach(w -> w.drain(reason));
    }

    /**
     * Waits until every worker has stopped.
     *
     * @param timeout how long to wait
     * @return true if all stopped in time
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers()) {
            long left = deadline - System.nanoTime();
            try {
                w.terminated().get(Math.max(0, left), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                // A worker that failed has stopped all the same.
            }
        }
        return true;
    }

    /** Stops every worker now. */
    default void stop() {
        workers().forEach(Worker::stop);
    }
}
