package dev.pounce.runtime.internal.process;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker in a child JVM, seen from the supervisor: the process, its control channel and what its heartbeats
 * said. {@link #start()} returns once the child reports {@code ready}, so the server announces itself only when every
 * child serves. Stopping sends SIGTERM, then SIGKILL after 2 s.
 */
final class ChildProcessWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");
    private static final Duration KILL_AFTER = Duration.ofSeconds(2);
    /** JVM start and class loading, on top of the app's own lifespan startup timeout. */
    private static final Duration SPAWN_ALLOWANCE = Duration.ofSeconds(30);

    private final WorkerIdentity identity;
    private final WorkerContext context;
    private final String app;
    private final Path socketDir;
    private final List<String> command;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile Process process;
    private volatile ControlChannel control;
    private volatile boolean asked;
    private volatile String reason = "shutdown";
    private volatile int active;
    private volatile long served;

    ChildProcessWorker(WorkerIdentity identity, WorkerContext context, String app, Path socketDir,
                       List<String> command) {
        this.identity = identity;
        this.context = context;
        this.app = app;
        this.socketDir = socketDir;
        this.command = command;
    }

    @Override
    public WorkerIdentity identity() {
        return identity;
    }

    @Override
    public void start() throws Exception {
        ServerConfig config = context.config();
        Path socket = socketDir.resolve("w" + identity.id() + "-g" + identity.generation() + ".sock");
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var pb = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put(ControlChannel.SOCKET_ENV, socket.toString());
            process = pb.start();
            // A child that dies before it connects must not leave accept() waiting.
            process.onExit().thenRun(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // Closing is all that is left to do.
                }
            });
            long deadline = System.nanoTime() + config.timeouts().startup().plus(SPAWN_ALLOWANCE).toNanos();
            SocketChannel ch;
            try {
                ch = acceptBefore(server, deadline);
            } catch (IOException | TimeoutException e) {
                throw fail("did not connect to the supervisor" + exitText());
            }
            control = new ControlChannel(ch);
            control.send("identity", identity.id() + " " + identity.generation());
            control.send("app", app);
            control.send("config", ConfigCodec.encode(config));
            Thread.ofVirtual().name("pounce-control-" + identity.id()).start(this::listen);
            process.onExit().thenRun(this::exited);
            String failure;
            try {
                failure = ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                failure = "did not report ready within " + config.timeouts().startup().plus(SPAWN_ALLOWANCE)
                        .toSeconds() + " s";
            } catch (ExecutionException e) {
                failure = e.getCause().getMessage();
            }
            if (!failure.isEmpty()) {
                throw fail(failure);
            }
        } finally {
            Files.deleteIfExists(socket);
        }
        LOG.debug("worker {} (generation {}) serving in process {}", identity.id(), identity.generation(),
                process.pid());
        context.publish(new LifecycleEvent.WorkerStarted(identity));
    }

    private static SocketChannel acceptBefore(ServerSocketChannel server, long deadline)
            throws IOException, TimeoutException, InterruptedException {
        var accepted = new CompletableFuture<SocketChannel>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(server.accept());
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        try {
            return accepted.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private Exception fail(String why) {
        asked = true;
        if (process != null) {
            process.destroyForcibly();
        }
        if (control != null) {
            control.close();
        }
        return new IllegalStateException("worker " + identity.id() + " (process) could not start: " + why);
    }

    private String exitText() {
        Process p = process;
        if (p == null || p.isAlive()) {
            return "";
        }
        return "; it exited with status " + p.exitValue();
    }

    private void listen() {
        try {
            while (true) {
                var m = control.receive();
                if (m.isEmpty()) {
                    break;
                }
                switch (m.get().type()) {
                    case "ready" -> ready.complete("");
                    case "failed" -> ready.complete(m.get().body().isEmpty() ? "failed" : m.get().body());
                    case "heartbeat" -> {
                        String[] parts = m.get().body().split(" ");
                        active = Integer.parseInt(parts[0]);
                        served = Long.parseLong(parts[1]);
                    }
                    case "stopped" -> active = 0;
                    default -> LOG.debug("worker {}: unknown control message {}", identity.id(), m.get().type());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("worker {}: control channel broke: {}", identity.id(), e.toString());
        }
        ready.complete("the control channel closed" + exitText());
    }

    private void exited() {
        active = 0;
        if (control != null) {
            control.close();
        }
        ready.complete("exited with status " + process.exitValue());
        if (asked) {
            context.publish(new LifecycleEvent.WorkerStopped(identity, reason));
        }
        terminated.complete(null);
    }

    @Override
    public void drain(String why) {
        order("drain", why);
    }

    @Override
    public void drainForShutdown(String why) {
        order("shutdown", why);
    }

    private void order(String type, String why) {
        asked = true;
        reason = why;
        if (control == null || !control.trySend(type, why)) {
            stop();
        }
    }

    @Override
    public void stop() {
        asked = true;
        Process p = process;
        if (p == null) {
            terminated.complete(null);
            return;
        }
        if (p.isAlive()) {
            p.destroy();
            p.onExit().completeOnTimeout(p, KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS).thenAccept(x -> {
                if (x.isAlive()) {
                    LOG.warn("worker {} (process {}) ignored SIGTERM for {} s; killing it", identity.id(), x.pid(),
                            KILL_AFTER.toSeconds());
                    x.destroyForcibly();
                }
            });
        }
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public Optional<String> failure() {
        Process p = process;
        if (asked || p == null || p.isAlive()) {
            return Optional.empty();
        }
        return Optional.of("process " + p.pid() + " exited with status " + p.exitValue());
    }

    @Override
    public int activeConnections() {
        return active;
    }

    /** @return requests served, as of the last heartbeat */
    long served() {
        return served;
    }
}
