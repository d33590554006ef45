package dev.pounce.runtime.internal.worker;

import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerContext;
import dev.pounce.spi.WorkerGroup;
import dev.pounce.spi.WorkerStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code thread} strategy, the default on the JVM: N workers in this JVM, each an event loop with its own
 * listener. They share one heap and one copy of the app; the JVM has no GIL, so they use every core.
 */
public final class ThreadWorkerStrategy implements WorkerStrategy {

    /** Made by {@link java.util.ServiceLoader}. */
    public ThreadWorkerStrategy() {
    }

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public WorkerGroup start(WorkerContext context) throws Exception {
        List<Worker> started = new ArrayList<>();
        try {
            // In slot order: the first bind resolves port 0 for the rest.
            for (int slot = 0; slot < context.workers(); slot++) {
                Worker w = context.newWorker(slot, 0);
                w.start();
                started.add(w);
            }
        } catch (Exception e) {
            started.forEach(Worker::stop);
            throw e;
        }
        List<Worker> workers = List.copyOf(started);
        return new WorkerGroup() {
            @Override
            public List<Worker> workers() {
                return workers;
            }

            @Override
            public Worker newWorker(int slot, int generation) {
                return context.newWorker(slot, generation);
            }
        };
    }
}
