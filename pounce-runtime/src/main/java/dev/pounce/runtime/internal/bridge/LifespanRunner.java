package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.Message;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the app's lifespan scope once per server: startup before serving, shutdown after draining. An app that
 * returns or throws before answering startup does not support lifespan, and the server serves without it, as ASGI
 * servers do.
 */
public final class LifespanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);

    /** The outcome of startup. */
    public sealed interface Outcome {
        /** The app completed startup. */
        record Started() implements Outcome { }

        /** The app does not handle lifespan; serve without it. */
        record Unsupported(String why) implements Outcome { }

        /** The app failed startup: do not serve. */
        record Failed(String message) implements Outcome { }
    }

    private final App app;
    private final Map<String, Object> state;
    private final LinkedBlockingQueue<Message> toApp = new LinkedBlockingQueue<>();
    private volatile CompletableFuture<LifespanMessage> reply = new CompletableFuture<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private boolean supported;

    /**
     * @param app   the application
     * @param state the state map every scope will share
     */
    public LifespanRunner(App app, Map<String, Object> state) {
        this.app = app;
        this.state = state;
    }

    /**
     * Sends startup and waits for the answer.
     *
     * @param timeout how long startup may take
     * @return the outcome
     * @throws InterruptedException if interrupted
     */
    public Outcome startup(Duration timeout) throws InterruptedException {
        Thread.ofVirtual().name("pounce-lifespan").start(this::runApp);
        toApp.add(new LifespanMessage.Startup());
        CompletableFuture<Object> first = CompletableFuture.anyOf(reply, ended);
        try {
            Object result = first.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return switch (result) {
                case LifespanMessage.StartupComplete c -> {
                    supported = true;
                    yield new Outcome.Started();
                }
                case LifespanMessage.StartupFailed f -> new Outcome.Failed(f.message());
                case Throwable t -> new Outcome.Unsupported(t.toString());
                default -> new Outcome.Unsupported("the app answered lifespan startup with " + result);
            };
        } catch (ExecutionException e) {
            return new Outcome.Unsupported(e.getCause().toString());
        } catch (TimeoutException e) {
            return new Outcome.Failed("lifespan startup did not complete within " + timeout.toSeconds()
                    + " s (--timeout-startup)");
        }
    }

    /**
     * Sends shutdown and waits for the answer; a failure or a timeout is logged and otherwise ignored.
     *
     * @param timeout how long shutdown may take
     * @throws InterruptedException if interrupted
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        if (!supported) {
            return;
        }
        reply = new CompletableFuture<>();
        toApp.add(new LifespanMessage.Shutdown());
        try {
            Object result = CompletableFuture.anyOf(reply, ended).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (result instanceof LifespanMessage.ShutdownFailed f) {
                LOG.error("lifespan shutdown failed: {}", f.message());
            } else if (result instanceof Throwable t) {
                LOG.error("lifespan shutdown failed", t);
            }
        } catch (ExecutionException e) {
            LOG.error("lifespan shutdown failed", e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("lifespan shutdown did not complete within {} s", timeout.toSeconds());
        }
    }

    private void runApp() {
        try {
            app.call(new LifespanScope(state, Map.of()), toApp::take, message -> {
                if (message instanceof LifespanMessage m) {
                    reply.complete(m);
                } else {
                    throw new IllegalStateException("only lifespan messages answer a lifespan scope, got " + message);
                }
            });
            ended.complete(new IllegalStateException("the app returned from the lifespan scope"));
        } catch (Throwable t) {
            if (!supported) {
                LOG.debug("the app does not handle the lifespan scope: {}", t.toString());
            }
            ended.complete(t);
        }
    }
}
