package dev.pounce.runtime;

import dev.pounce.runtime.internal.ServerRuntime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The public face of a running server: every call goes to the internal runtime. Kept apart so the internals never
 * name the entry package and the two packages have no cycle.
 */
final class RunningServer implements ServerHandle {

    private final ServerRuntime runtime;

    RunningServer(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<String> addresses() {
        return runtime.addresses();
    }

    @Override
    public Optional<InetSocketAddress> tcpAddress() {
        return runtime.tcpAddress();
    }

    @Override
    public void shutdown() {
        runtime.shutdown();
    }

    @Override
    public void reload() {
        runtime.reload();
    }

    @Override
    public void stopNow() {
        runtime.stopNow();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runtime.awaitTermination(timeout);
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        runtime.awaitTermination();
    }

    @Override
    public int exitCode() {
        return runtime.exitCode();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
