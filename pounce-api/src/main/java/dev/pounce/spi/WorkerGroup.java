package dev.pounce.spi;

import java.time.Duration;
import java.util.List;

/** The workers a {@link WorkerStrategy} started, as the runtime handles them. */
public interface WorkerGroup {

    /** @return the workers, by slot */
    List<Worker> workers();

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
