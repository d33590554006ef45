package dev.pounce.runtime.internal;

import dev.pounce.api.App;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.failure.AppLoadFailure;
import dev.pounce.runtime.internal.app.FreshAppLoader;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.bridge.LifespanRunner;
import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.supervisor.WorkerSlots;
import dev.pounce.runtime.internal.worker.WorkerServices;
import dev.pounce.spi.Worker;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One rolling reload, run on its own {@code pounce-reload} thread: for in-JVM workers, load the app again in a fresh
 * class loader and run its lifespan startup; start generation N+1 in every slot beside N; when all of them serve,
 * drain N (listeners first, so new connections reach N+1), and once N has finished, run the old app's lifespan
 * shutdown. If anything fails before N+1 serves, N keeps serving and the error is logged and published.
 */
final class RollingReload {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);

    /**
     * What in-JVM workers of one generation serve.
     *
     * @param services the app and everything else a worker needs
     * @param lifespan the app's lifespan
     */
    record AppGeneration(WorkerServices services, LifespanRunner lifespan) { }

    private final ServerConfig config;
    private final EventSink events;
    private final WorkerSlots slots;
    private final AtomicReference<AppGeneration> current;
    private final boolean inJvm;
    private final Optional<String> reference;
    private final Consumer<ServerMessage> post;

    RollingReload(ServerConfig config, EventSink events, WorkerSlots slots, AtomicReference<AppGeneration> current,
                  boolean inJvm, Optional<String> reference, Consumer<ServerMessage> post) {
        this.config = config;
        this.events = events;
        this.slots = slots;
        this.current = current;
        this.inJvm = inJvm;
        this.reference = reference;
        this.post = post;
    }

    void run(String trigger) {
        long started = System.nanoTime();
        LOG.info("reloading ({}): starting a new generation beside the old one", trigger);
        events.publish(new LifecycleEvent.ReloadStarted(trigger));
        AppGeneration old = current.get();
        Optional<AppGeneration> next;
        try {
            next = inJvm ? Optional.of(loadAgain(old)) : Optional.empty();
        } catch (ReloadError e) {
            failed(e.getMessage());
            return;
        }
        next.ifPresent(current::set);
        WorkerSlots.ReloadResult result = slots.reload();
        if (result.error().isPresent()) {
            next.ifPresent(n -> {
                current.set(old);
                if (n.lifespan() != old.lifespan()) {
                    shutdownLifespan(n.lifespan());
                }
            });
            failed(result.error().get());
            return;
        }
        var identities = result.fresh().stream().map(Worker::identity).toList();
        LOG.info("reload complete: generation {} serves; the old one drains", identities.stream()
                .map(w -> w.id() + ":" + w.generation()).toList());
        events.publish(new LifecycleEvent.ReloadCompleted(identities, System.nanoTime() - started));
        post.accept(new ServerMessage.ReloadFinished(true));
        retire(result, old, next);
    }

    private AppGeneration loadAgain(AppGeneration old) throws ReloadError {
        if (reference.isEmpty()) {
            LOG.info("the server was given an App object, not an AppReference: the reload restarts the workers "
                    + "with the same code");
            return old;
        }
        App app;
        try {
            app = FreshAppLoader.load(reference.filter(s -> !s.isEmpty())).app();
        } catch (AppLoadFailure e) {
            throw new ReloadError("the new code does not load: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new ReloadError("the new code does not load: " + e);
        }
        Map<String, Object> state = new ConcurrentHashMap<>();
        var lifespan = new LifespanRunner(app, state);
        try {
            if (lifespan.startup(config.timeouts().startup()) instanceof LifespanRunner.Outcome.Failed f) {
                throw new ReloadError("lifespan startup of the new code failed: " + f.message());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReloadError("interrupted during lifespan startup of the new code");
        }
        return new AppGeneration(old.services().withApp(app, state), lifespan);
    }

    private void failed(String why) {
        LOG.error("reload failed; the old generation keeps serving: {}", why);
        events.publish(new LifecycleEvent.ReloadFailed(why));
        post.accept(new ServerMessage.ReloadFinished(false));
    }

    /** Waits for the old generation to drain, stops stragglers, then ends the old app's lifespan. */
    private void retire(WorkerSlots.ReloadResult result, AppGeneration old, Optional<AppGeneration> next) {
        Duration timeout = config.timeouts().gracefulShutdown();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : result.retired()) {
            try {
                w.terminated().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                WorkerIdentity id = w.identity();
                LOG.warn("worker {} (generation {}) still has {} connection(s) {} s after the reload; closing them",
                        id.id(), id.generation(), w.activeConnections(), timeout.toSeconds());
                w.stop();
            } catch (java.util.concurrent.ExecutionException e) {
                // It stopped all the same.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (next.isPresent() && next.get().lifespan() != old.lifespan()) {
            shutdownLifespan(old.lifespan());
        }
    }

    private void shutdownLifespan(LifespanRunner lifespan) {
        try {
            lifespan.shutdown(Duration.ofSeconds(Math.max(1, config.timeouts().gracefulShutdown().toSeconds())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A reload that cannot go on, with its one-line reason. */
    private static final class ReloadError extends Exception {
        private static final long serialVersionUID = 1L;

        ReloadError(String message) {
            super(message);
        }
    }
}
