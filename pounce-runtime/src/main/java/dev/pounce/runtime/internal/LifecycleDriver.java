package dev.pounce.runtime.internal;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.lifecycle.Effect;
import dev.pounce.runtime.internal.lifecycle.Lifecycle;
import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.lifecycle.ServerState;
import dev.pounce.runtime.internal.listen.ServerSockets;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.supervisor.ReloadWatcher;
import dev.pounce.runtime.internal.supervisor.Supervisor;
import dev.pounce.runtime.internal.supervisor.WorkerSlots;
import dev.pounce.runtime.internal.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle's driver: one {@code pounce-lifecycle} thread that feeds each message through the pure
 * {@link Lifecycle#update} and carries out the effects it returns. Long effects (the drain, a reload, lifespan
 * shutdown) run on their own control threads and report back with a message.
 */
final class LifecycleDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);

    /**
     * What the effects act on, all built before the driver starts.
     *
     * @param config     the frozen configuration
     * @param events     where events go
     * @param slots      the workers
     * @param sockets    the listening sockets
     * @param drain      the shutdown's drain
     * @param reloads    the rolling reload
     * @param generation the app generation now served, for its lifespan
     * @param supervisor the watchdog, with more than one worker
     * @param watcher    the file watcher, with {@code --reload}
     */
    record Parts(ServerConfig config, EventBus events, WorkerSlots slots, ServerSockets sockets,
                 ShutdownDrain drain, RollingReload reloads, AtomicReference<RollingReload.AppGeneration> generation,
                 Optional<Supervisor> supervisor, Optional<ReloadWatcher> watcher) { }

    private final Inbox inbox;
    private final Parts parts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode = -1;
    private ServerState state = new ServerState.Starting();

    LifecycleDriver(Inbox inbox, Parts parts) {
        this.inbox = inbox;
        this.parts = parts;
    }

    /** Posts {@code Started} and starts the driver thread. */
    void start() {
        inbox.post(new ServerMessage.Started());
        Threads.control("lifecycle", this::drive);
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    int exitCode() {
        return exitCode;
    }

    private void drive() {
        while (!(state instanceof ServerState.Stopped)) {
            ServerMessage message;
            try {
                message = inbox.take();
            } catch (InterruptedException e) {
                message = new ServerMessage.StopNow();
            }
            var transition = Lifecycle.update(state, message);
            LOG.debug("lifecycle {} + {} -> {}", state, message, transition.state());
            state = transition.state();
            for (Effect effect : transition.effects()) {
                run(effect);
            }
        }
    }

    private void run(Effect effect) {
        ServerConfig config = parts.config();
        switch (effect) {
            case Effect.DrainWorkers d -> {
                // Unready before anyone hears of the drain (the log line, the event): health says 503 from here on.
                parts.generation().get().services().readiness().drainBegun();
                var timeout = config.timeouts().gracefulShutdown();
                int open = parts.slots().activeConnections();
                LOG.info("shutting down ({}): waiting up to {} s for {} open connection{}", d.reason(),
                        timeout.toMillis() / 1000.0, open, open == 1 ? "" : "s");
                parts.events().publish(new LifecycleEvent.DrainStarted(d.reason(), timeout));
                Threads.control("drain", () ->
                        inbox.post(new ServerMessage.WorkersStopped(parts.drain().run(d.reason(), timeout))));
            }
            case Effect.StopWorkersNow s -> {
                LOG.warn("stopping at once");
                parts.sockets().closeSockets();
                parts.slots().stop();
            }
            case Effect.StartReload r -> Threads.control("reload", () -> parts.reloads().run(r.trigger()));
            case Effect.RunLifespanShutdown r -> Threads.control("lifespan-shutdown", () -> {
                try {
                    Duration bound = config.timeouts().gracefulShutdown();
                    parts.generation().get().lifespan()
                            .shutdown(bound.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : bound);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inbox.post(new ServerMessage.LifespanFinished());
            });
            case Effect.Finish f -> {
                parts.supervisor().ifPresent(Supervisor::close);
                parts.watcher().ifPresent(ReloadWatcher::close);
                parts.sockets().close();
                deleteSocketFile(config);
                parts.events().publish(new LifecycleEvent.ServerStopped(f.graceful()));
                LOG.info("stopped{}", f.graceful() ? "" : " (not every request finished)");
                exitCode = f.exitCode();
                stopped.countDown();
            }
        }
    }

    static void deleteSocketFile(ServerConfig config) {
        config.uds().ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove socket file {}: {}", p, e.getMessage());
            }
        });
    }
}
