package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.bridge.DrainBridge;
import dev.pounce.runtime.internal.listen.Route;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.Optional;

/**
 * The route of the server's sockets while it shuts down: every connection that arrives during the drain is served
 * on the server's own loop ({@code pounce-listener}) by the normal connection set-up (preambles, TLS, protocol
 * choice) with the {@link DrainBridge}, which answers each request with the drain {@code 503} and never runs the app.
 * So a client behind a load balancer learns to retry elsewhere ({@code Retry-After: 1}) instead of seeing a reset,
 * over TLS and HTTP/2 too. Each late arrival gets at most {@link #PATIENCE} to send its request (and to finish a TLS
 * handshake), so the draining server spends a bounded time on it; whatever is still open when the workers are done is
 * closed with the sockets.
 */
public final class LateArrivals implements Route {

    /** How long a late arrival may take to send its request head. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private final EventLoop loop;
    private final ConnectionSetup setup;
    private final Object quiet = new Object();
    private final Connections connections = new Connections(() -> {
        synchronized (quiet) {
            quiet.notifyAll();
        }
    });

    /**
     * @param services what the workers share: protocols, TLS, preambles and the sockets' loop
     */
    public LateArrivals(WorkerServices services) {
        this.loop = services.sockets().loop();
        ServerConfig config = services.config();
        if (config.timeouts().header().compareTo(PATIENCE) > 0) {
            config = config.toBuilder().headerTimeout(PATIENCE).build();
        }
        this.setup = new ConnectionSetup(config, services, DrainBridge.SERVER,
                new DrainBridge(services.config(), services.metrics().lateArrivals()), connections, () -> true);
    }

    @Override
    public EventLoop home() {
        return loop;
    }

    @Override
    public Optional<Target> next() {
        return Optional.of(new Target(loop, setup));
    }

    @Override
    public boolean live() {
        return true;
    }

    /** @return late arrivals still open */
    public int open() {
        return connections.count();
    }

    /**
     * Waits until no late arrival is open any more.
     *
     * @param timeout how long at most
     * @return whether all have closed
     * @throws InterruptedException if interrupted
     */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (quiet) {
            while (connections.count() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                quiet.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Closes the late arrivals still open: the server is done. Called once the sockets are closed. */
    public void closeAll() {
        loop.execute(connections::closeAll);
    }
}
