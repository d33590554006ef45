package dev.pounce.runtime.internal.supervisor;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerGroup;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's worker slots after the start: which worker serves each slot now, which old ones are still draining,
 * and the three things that replace workers: the watchdog's restart of a dead worker ({@link #tick}, on the
 * {@code pounce-supervisor} thread), a rolling reload ({@link #reload}), and the shutdown ({@link #drainForShutdown},
 * {@link #stop}). A reload holds a lock for its whole length and the watchdog skips its turn while it does, so the
 * two never race for a slot; slot fields change under this object's monitor.
 */
public final class WorkerSlots {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);

    /** One slot: its worker now and its restart bookkeeping. */
    private static final class Slot {
        final int index;
        final RestartBudget budget;
        Worker worker;
        int generation;
        boolean down;
        boolean pendingRestart;
        long restartAtNanos;
        RestartBudget.Decision.Restart restart;

        Slot(int index, Worker worker, RestartBudget budget) {
            this.index = index;
            this.worker = worker;
            this.generation = worker.identity().generation();
            this.budget = budget;
        }
    }

    /**
     * What a reload did.
     *
     * @param fresh   the new generation, serving
     * @param retired the old generation, now draining
     * @param error   why it failed, empty on success
     */
    public record ReloadResult(List<Worker> fresh, List<Worker> retired, Optional<String> error) { }

    private final WorkerGroup group;
    private final EventSink events;
    private final boolean supervised;
    private final RestartBudget.Limits limits;
    private final Consumer<Boolean> onAllEnded;
    private final IntConsumer onGivenUp;
    private final Slot[] slots;
    private final List<Worker> retiring = new CopyOnWriteArrayList<>();
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile boolean stopping;
    private volatile Runnable wake = () -> { };
    private boolean endReported;

    /**
     * @param group      the started workers and the means to make more
     * @param events     where events go
     * @param supervised whether dead workers are restarted (more than one worker)
     * @param onAllEnded run once if every slot has ended on its own and none will be restarted; told whether it was
     *                   failure (the supervisor gave up on a slot) rather than drains the workers asked for
     * @param onGivenUp  run with a slot's index when the supervisor gives up on it, so its socket can close
     */
    public WorkerSlots(WorkerGroup group, EventSink events, boolean supervised, Consumer<Boolean> onAllEnded,
                       IntConsumer onGivenUp) {
        this(group, events, supervised, RestartBudget.configured(), onAllEnded, onGivenUp);
    }

    WorkerSlots(WorkerGroup group, EventSink events, boolean supervised, RestartBudget.Limits limits,
                Consumer<Boolean> onAllEnded, IntConsumer onGivenUp) {
        this.group = group;
        this.events = events;
        this.supervised = supervised;
        this.limits = limits;
        this.onAllEnded = onAllEnded;
        this.onGivenUp = onGivenUp;
        List<Worker> started = group.workers();
        this.slots = new Slot[started.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, started.get(i), new RestartBudget(limits));
            watch(started.get(i));
        }
    }

    /** @param wake what to run when a worker ends, so the watchdog looks at once rather than at its next tick */
    void onWorkerEnded(Runnable wake) {
        this.wake = wake;
    }

    private void watch(Worker w) {
        w.terminated().whenComplete((v, e) -> {
            wake.run();
            if (!supervised) {
                checkAllEnded();
            }
        });
    }

    /** @return the worker of each slot now, by slot */
    public synchronized List<Worker> current() {
        List<Worker> out = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            out.add(s.worker);
        }
        return out;
    }

    /** @return connections open on every worker, old generations still draining included */
    public int activeConnections() {
        int n = 0;
        for (Worker w : current()) {
            n += w.activeConnections();
        }
        for (Worker w : retiring) {
            n += w.activeConnections();
        }
        return n;
    }

    // ---- the watchdog ----

    /**
     * Looks at every slot once: a dead worker is reported and given a restart after its backoff, or its slot is
     * given up; a restart whose backoff has passed is carried out. Called on the {@code pounce-supervisor} thread.
     *
     * @param now the time, from {@link System#nanoTime()}
     * @return when to look again at the latest, as a {@link System#nanoTime()} value
     */
    long tick(long now) {
        long next = now + TimeUnit.SECONDS.toNanos(1);
        if (stopping || !reloading.tryLock()) {
            return next;
        }
        try {
            for (Slot slot : slots) {
                if (stopping) {
                    break;
                }
                if (slot.down) {
                    continue;
                }
                if (slot.pendingRestart) {
                    if (now - slot.restartAtNanos >= 0) {
                        restart(slot);
                    } else {
                        next = Math.min(next, slot.restartAtNanos);
                    }
                    continue;
                }
                Worker w;
                synchronized (this) {
                    w = slot.worker;
                }
                if (w.terminated().isDone() && w.failure().isPresent()) {
                    died(slot, w.identity(), w.failure().get(), now);
                    if (slot.pendingRestart) {
                        next = Math.min(next, slot.restartAtNanos);
                    }
                }
            }
        } finally {
            reloading.unlock();
        }
        checkAllEnded();
        return next;
    }

    private void died(Slot slot, WorkerIdentity who, String cause, long now) {
        LOG.warn("worker {} (generation {}) died: {}", who.id(), who.generation(), cause);
        events.publish(new LifecycleEvent.WorkerExited(who, cause));
        switch (slot.budget.onDeath(now)) {
            case RestartBudget.Decision.GiveUp g -> {
                synchronized (this) {
                    slot.down = true;
                    slot.pendingRestart = false;
                }
                LOG.error("worker {} died {} times within {} s; giving up on it: the slot stays down until a "
                        + "reload or a restart of the server", who.id(), g.restarts() + 1,
                        limits.window().toSeconds());
                onGivenUp.accept(slot.index);
                events.publish(new LifecycleEvent.RestartBudgetSpent(who.id(), g.restarts(), limits.window()));
            }
            case RestartBudget.Decision.Restart r -> {
                synchronized (this) {
                    slot.pendingRestart = true;
                    slot.restart = r;
                    slot.restartAtNanos = now + r.backoff().toNanos();
                }
                LOG.info("restarting worker {} in {} s (restart {} of {} within {} s)", who.id(),
                        r.backoff().toMillis() / 1000.0, r.restartsInWindow(), limits.maxRestarts(),
                        limits.window().toSeconds());
            }
        }
    }

    private void restart(Slot slot) {
        int generation;
        synchronized (this) {
            generation = ++slot.generation;
        }
        Worker fresh;
        try {
            fresh = group.newWorker(slot.index, generation);
            fresh.start();
        } catch (Exception | Error e) {
            died(slot, new WorkerIdentity(slot.index, generation), "could not start: " + e.getMessage(),
                    System.nanoTime());
            return;
        }
        var r = slot.restart;
        synchronized (this) {
            if (stopping) {
                retiring.add(fresh);
                fresh.stop();
                return;
            }
            slot.worker = fresh;
            slot.pendingRestart = false;
        }
        watch(fresh);
        LOG.info("worker {} restarted (generation {})", slot.index, generation);
        events.publish(new LifecycleEvent.WorkerRestarted(fresh.identity(), r.restartsInWindow(), r.backoff()));
    }

    private void checkAllEnded() {
        synchronized (this) {
            if (stopping || endReported || reloading.isLocked()) {
                return;
            }
            for (Slot s : slots) {
                if (s.pendingRestart || !s.worker.terminated().isDone()) {
                    return;
                }
                if (supervised && !s.down && s.worker.failure().isPresent()) {
                    return;
                }
            }
            endReported = true;
        }
        boolean failed;
        synchronized (this) {
            failed = java.util.Arrays.stream(slots).anyMatch(s -> s.down);
        }
        onAllEnded.accept(failed);
    }

    // ---- rolling reload ----

    /**
     * Starts a new generation in every slot (down ones too), and when all of them serve, drains the old one
     * (its listeners close first, so new connections reach the new generation). If any new worker cannot start, the
     * ones that did are stopped and the old generation keeps serving. Blocks while the new workers start; called on
     * the {@code pounce-reload} thread.
     *
     * @return what happened
     */
    public ReloadResult reload() {
        reloading.lock();
        try {
            List<Worker> fresh = new ArrayList<>();
            for (Slot slot : slots) {
                int generation;
                synchronized (this) {
                    generation = slot.generation + 1;
                }
                try {
                    if (stopping) {
                        throw new IllegalStateException("the server is shutting down");
                    }
                    Worker w = group.newWorker(slot.index, generation);
                    fresh.add(w);
                    w.start();
                } catch (Exception | Error e) {
                    fresh.forEach(Worker::stop);
                    String why = "worker " + slot.index + " of the new generation could not start: "
                            + (e.getMessage() == null ? e.toString() : e.getMessage());
                    return new ReloadResult(List.of(), List.of(), Optional.of(why));
                }
            }
            List<Worker> retired = new ArrayList<>();
            synchronized (this) {
                if (stopping) {
                    // A shutdown began while the new generation started: it drains with the rest.
                    fresh.forEach(w -> w.drainForShutdown("shutdown"));
                    retiring.addAll(fresh);
                    return new ReloadResult(List.of(), List.of(), Optional.of("the server is shutting down"));
                }
                for (int i = 0; i < slots.length; i++) {
                    Slot s = slots[i];
                    retired.add(s.worker);
                    s.worker = fresh.get(i);
                    s.generation = fresh.get(i).identity().generation();
                    s.down = false;
                    s.pendingRestart = false;
                    s.budget.reset();
                }
                retiring.addAll(retired);
            }
            fresh.forEach(this::watch);
            for (Worker old : retired) {
                old.terminated().whenComplete((v, e) -> retiring.remove(old));
                if (!old.terminated().isDone()) {
                    old.drain("reload");
                }
            }
            return new ReloadResult(List.copyOf(fresh), List.copyOf(retired), Optional.empty());
        } finally {
            reloading.unlock();
        }
    }

    // ---- shutdown ----

    /**
     * Stops restarts and drains every worker for the shutdown: late arrivals get the drain 503.
     *
     * @param reason why
     */
    public void drainForShutdown(String reason) {
        List<Worker> now;
        synchronized (this) {
            stopping = true;
            now = current();
        }
        for (Worker w : now) {
            w.drainForShutdown(reason);
        }
    }

    /**
     * Waits for every worker, old generations included.
     *
     * @param timeout how long
     * @return true if all stopped in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Worker> all = new ArrayList<>(current());
        all.addAll(retiring);
        for (Worker w : all) {
            try {
                w.terminated().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // A worker that failed has stopped all the same.
            }
        }
        return true;
    }

    /** Stops every worker now, old generations included; no restart follows. */
    public void stop() {
        List<Worker> all;
        synchronized (this) {
            stopping = true;
            all = new ArrayList<>(current());
        }
        all.addAll(retiring);
        all.forEach(Worker::stop);
    }
}
