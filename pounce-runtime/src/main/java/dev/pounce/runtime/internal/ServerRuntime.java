package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.lifecycle.ServerMessage;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running server as its owner holds it: where it listens, and the requests it takes (shut down, reload, stop now),
 * each posted to the lifecycle. Built by {@link ServerStart}; every field is final.
 */
public final class ServerRuntime {

    private final Inbox inbox;
    private final LifecycleDriver driver;
    private final List<String> addresses;
    private final Optional<InetSocketAddress> tcp;

    ServerRuntime(Inbox inbox, LifecycleDriver driver, List<String> addresses, Optional<InetSocketAddress> tcp) {
        this.inbox = inbox;
        this.driver = driver;
        this.addresses = List.copyOf(addresses);
        this.tcp = tcp;
    }

    /**
     * Waits for a server started with its signal handlers (SIGTERM and SIGINT drain, a second stops at once; SIGHUP
     * reloads) to stop.
     *
     * @param runtime the server
     * @return its exit status
     */
    public static int run(ServerRuntime runtime) {
        try {
            runtime.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.stopNow();
        }
        return runtime.exitCode();
    }

    /** @return where it listens: {@code http://127.0.0.1:8000} or {@code unix:/run/app.sock} */
    public List<String> addresses() {
        return addresses;
    }

    /** @return the TCP address, the port resolved; empty on a Unix domain socket */
    public Optional<InetSocketAddress> tcpAddress() {
        return tcp;
    }

    /** Drains gracefully, then stops. */
    public void shutdown() {
        inbox.post(new ServerMessage.ShutdownRequested("shutdown"));
    }

    /** Starts a rolling reload. */
    public void reload() {
        inbox.post(new ServerMessage.ReloadRequested("api"));
    }

    /** Stops at once. */
    public void stopNow() {
        inbox.post(new ServerMessage.StopNow());
    }

    /**
     * @param timeout how long to wait
     * @return whether it stopped in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return driver.awaitStopped(timeout);
    }

    /** @throws InterruptedException if interrupted */
    public void awaitTermination() throws InterruptedException {
        driver.awaitStopped();
    }

    /** @return the exit status once stopped, -1 before */
    public int exitCode() {
        return driver.exitCode();
    }

    /** Shuts down and waits. */
    public void close() {
        shutdown();
        try {
            awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopNow();
        }
    }
}
