package dev.pounce.runtime.internal.metrics;

import dev.pounce.api.ServerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The metrics of one server JVM: a {@link WorkerMetrics} per worker slot (kept across restarts and reloads), one for
 * the late arrivals of a shutdown, the server's own counters (restarts, reloads), and, in the parent of process
 * workers, the children's last samples. A scrape asks {@link #whole()}, which merges them; nothing is merged before.
 *
 * <p>With process workers each child has its own {@code ServerMetrics} ({@link #forChild}), whose {@link #whole()}
 * asks the parent over the control channel. The parent asks every live child for its samples at once
 * ({@link Child}), waits for their answers (or takes the last ones they sent, which come with every heartbeat too),
 * and adds the samples of children that died: when a child ends, its last samples' counters go into a retired total,
 * so a child killed and restarted makes no counter go back. What a killed child counted after its last heartbeat
 * (at most a second's worth) is lost with it.
 */
public final class ServerMetrics {

    /** How long a scrape waits for a child's samples before it takes the last ones the child sent. */
    static final Duration CHILD_PATIENCE = Duration.ofSeconds(2);

    private final boolean on;
    private final boolean startTime;
    private final WorkerMetrics[] slots;
    private final WorkerMetrics lateArrivals;
    private final LongAdder restarts = new LongAdder();
    private final LongAdder reloadsCompleted = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    /** In a child: asks the parent for the whole server's samples. */
    private final Supplier<CompletableFuture<Samples>> parent;

    /** Guards the children and the retired total; never touched on the request path. */
    private final Object lock = new Object();
    private final Map<Child, Samples> children = new LinkedHashMap<>();
    private final Samples retired = new Samples();

    private ServerMetrics(boolean on, int slots, boolean startTime, Supplier<CompletableFuture<Samples>> parent) {
        this.on = on;
        this.startTime = startTime;
        this.slots = new WorkerMetrics[slots];
        for (int i = 0; i < slots; i++) {
            this.slots[i] = on ? WorkerMetrics.recording() : WorkerMetrics.OFF;
        }
        this.lateArrivals = on ? WorkerMetrics.recording() : WorkerMetrics.OFF;
        this.parent = parent;
    }

    /**
     * @param config the configuration: metrics are on with {@code --metrics-path}
     * @param slots  how many worker slots
     * @return the metrics of a server: a single JVM, or the parent of process workers
     */
    public static ServerMetrics forServer(ServerConfig config, int slots) {
        return new ServerMetrics(config.metricsPath().isPresent(), slots, true, null);
    }

    /** @return metrics that are off: nothing is recorded, a scrape finds nothing */
    public static ServerMetrics off() {
        return new ServerMetrics(false, 0, true, null);
    }

    /**
     * @param config the configuration
     * @param slots  how many worker slots the server has
     * @param parent asks the parent for the whole server's samples, over the control channel
     * @return the metrics of a process worker
     */
    public static ServerMetrics forChild(ServerConfig config, int slots, Supplier<CompletableFuture<Samples>> parent) {
        return new ServerMetrics(config.metricsPath().isPresent(), slots, false, parent);
    }

    /** @return whether metrics are on ({@code --metrics-path}) */
    public boolean on() {
        return on;
    }

    /**
     * @param slot a worker slot, 0 to workers-1
     * @return its counters; {@link WorkerMetrics#OFF} when metrics are off
     */
    public WorkerMetrics worker(int slot) {
        return slot >= 0 && slot < slots.length ? slots[slot] : WorkerMetrics.OFF;
    }

    /** @return the counters of the late arrivals a shutdown answers with the drain {@code 503} */
    public WorkerMetrics lateArrivals() {
        return lateArrivals;
    }

    /** The supervisor restarted a dead worker. */
    public void workerRestarted() {
        restarts.increment();
    }

    /** @param completed whether a rolling reload completed, or failed */
    public void reloaded(boolean completed) {
        (completed ? reloadsCompleted : reloadsFailed).increment();
    }

    /** @return this JVM's samples: its slots, its late arrivals, its own counters and its process readings */
    public Samples local() {
        var samples = new Samples();
        if (!on) {
            return samples;
        }
        for (WorkerMetrics w : slots) {
            w.collect(samples);
        }
        lateArrivals.collect(samples);
        if (parent == null) {
            // The server's own counters live in the parent; a child would only add zeros.
            samples.add(Family.WORKER_RESTARTS, "", restarts.sum());
            samples.add(Family.RELOADS, Labels.pair("result", "completed"), reloadsCompleted.sum());
            samples.add(Family.RELOADS, Labels.pair("result", "failed"), reloadsFailed.sum());
        }
        JvmReadings.collect(samples, startTime);
        return samples;
    }

    /**
     * The whole server's samples, for a scrape: this JVM's, the live children's and the dead children's counters;
     * in a child, the parent's answer. May complete on another thread; never blocks the caller.
     *
     * @return the samples, or a failure when a child's parent does not answer
     */
    public CompletableFuture<Samples> whole() {
        if (parent != null) {
            return parent.get();
        }
        List<Child> live;
        synchronized (lock) {
            live = new ArrayList<>(children.keySet());
        }
        if (live.isEmpty()) {
            return CompletableFuture.completedFuture(merged());
        }
        var asked = live.stream().map(c -> c.refresh.get()
                .completeOnTimeout(null, CHILD_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> null)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(asked).thenApply(v -> merged());
    }

    private Samples merged() {
        Samples all = local();
        synchronized (lock) {
            all.addAll(retired, false);
            children.values().forEach(s -> all.addAll(s, false));
        }
        return all;
    }

    /**
     * Takes in a child process once it serves.
     *
     * @param refresh asks the child for its samples now; the future completes once they arrived through
     *                {@link Child#update} (or fails)
     * @return the child's place, to update and to retire
     */
    public Child adopt(Supplier<CompletableFuture<Void>> refresh) {
        var child = new Child(refresh);
        synchronized (lock) {
            children.put(child, new Samples());
        }
        return child;
    }

    /** A child process's place in its parent's metrics. */
    public final class Child {
        private final Supplier<CompletableFuture<Void>> refresh;

        private Child(Supplier<CompletableFuture<Void>> refresh) {
            this.refresh = refresh;
        }

        /**
         * The child sent its samples: they replace the ones before (each is a whole snapshot, and the channel keeps
         * their order, so the last is the newest). Ignored once the child is retired.
         *
         * @param samples its samples
         */
        public void update(Samples samples) {
            synchronized (lock) {
                children.computeIfPresent(this, (c, old) -> samples);
            }
        }

        /** The child ended and will send nothing more: its counters join the retired total, its gauges go. */
        public void retire() {
            synchronized (lock) {
                Samples last = children.remove(this);
                if (last != null) {
                    retired.addAll(last, true);
                }
            }
        }
    }
}
