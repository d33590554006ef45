package dev.pounce.runtime.internal.process;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerContext;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.Samples;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker in a child JVM, seen from the supervisor: the process, its control channel and what its heartbeats
 * said. {@link #start()} returns once the child reports {@code ready}, so the server announces itself only when every
 * child serves. Stopping sends SIGTERM, then SIGKILL after 2 s.
 *
 * <p>A child that is alive but hung (deadlocked, in a GC spiral, stopped with SIGSTOP) stops its {@link Heartbeat}.
 * From {@code ready} on, a virtual thread ({@code pounce-heartbeat-watch-N}) kills a child that has been silent for
 * longer than the silence bound (10 s by default, the test-only {@value #SILENCE_PROPERTY} shortens it) with SIGKILL,
 * which a hung JVM cannot ignore, and logs a WARN. Its {@link #failure()} then says
 * {@code process 4711 sent no heartbeat for 10.0 s and was killed}, and the supervisor restarts the slot as for any
 * other death. This worker watches itself rather than leaving it to the supervisor's watchdog: the {@link Worker}
 * SPI has no notion of liveness, the watchdog skips its turns while a reload holds the slots, and it never looks at
 * an old generation that is draining. A draining child is watched too (its loop still turns, and it beats through
 * its lifespan shutdown), so a hung one does not hold up a reload or a shutdown; it is killed, not restarted.
 *
 * <p>With {@code --metrics-path} the child is a {@link ServerMetrics.Child} of the server's metrics from {@code ready}
 * until its control channel ends: the samples of its heartbeats and of its answers to {@code collect} update its
 * place, and a scrape it forwards ({@code scrape}) is answered with the whole server's. When the channel ends, no
 * more can come, and its counters join the retired total.
 */
final class ChildProcessWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);
    private static final Duration KILL_AFTER = Duration.ofSeconds(2);
    /** JVM start and class loading, on top of the app's own lifespan startup timeout. */
    private static final Duration SPAWN_ALLOWANCE = Duration.ofSeconds(30);
    /** The test-only system property, in milliseconds, that replaces {@link #DEFAULT_SILENCE}. Not public. */
    static final String SILENCE_PROPERTY = "pounce.internal.heartbeatSilenceMillis";
    /**
     * Ten heartbeats missed: long enough for a full GC of a large heap, short enough that a hung child's share of
     * the traffic is not lost for long.
     */
    static final Duration DEFAULT_SILENCE = Heartbeat.INTERVAL.multipliedBy(10);

    private final WorkerIdentity identity;
    private final WorkerContext context;
    private final String app;
    private final Path socketDir;
    private final List<String> command;
    private final Duration silenceBound;
    private final ServerMetrics metrics;
    private final AtomicLong collectIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> collecting = new ConcurrentHashMap<>();
    /** Guards {@link #child} and {@link #listening} against a channel that ends while the child is adopted. */
    private final Object metricsLock = new Object();
    private ServerMetrics.Child child;
    private boolean listening = true;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile Process process;
    private volatile ControlChannel control;
    private volatile boolean asked;
    private volatile String reason = "shutdown";
    private volatile int active;
    private volatile long served;
    private volatile long heardNanos;
    /** Set when this worker killed its child for silence: {@code no heartbeat for 10.0 s}. */
    private volatile Optional<String> silence = Optional.empty();

    /**
     * @param silenceBound how long the child may send no heartbeat before it is taken for hung and killed
     * @param metrics      the server's metrics, which gather this child's
     */
    ChildProcessWorker(WorkerIdentity identity, WorkerContext context, String app, Path socketDir,
                       List<String> command, Duration silenceBound, ServerMetrics metrics) {
        this.identity = identity;
        this.context = context;
        this.app = app;
        this.socketDir = socketDir;
        this.command = command;
        this.silenceBound = silenceBound;
        this.metrics = metrics;
    }

    /**
     * @return the silence bound: {@link #DEFAULT_SILENCE}, or the test-only {@value #SILENCE_PROPERTY}; read once
     *         when the server starts
     */
    static Duration configuredSilenceBound() {
        return Duration.ofMillis(Long.getLong(SILENCE_PROPERTY, DEFAULT_SILENCE.toMillis()));
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
            handOverSocket(deadline);
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
        heardNanos = System.nanoTime();
        if (metrics.on()) {
            synchronized (metricsLock) {
                if (listening) {
                    child = metrics.adopt(this::collect);
                }
            }
        }
        Thread.ofVirtual().name("pounce-heartbeat-watch-" + identity.id()).start(this::watchHeartbeats);
        LOG.debug("worker {} (generation {}) serving in process {}", identity.id(), identity.generation(),
                process.pid());
        context.publish(new LifecycleEvent.WorkerStarted(identity));
    }

    /**
     * Offers the slot's listening socket on a hand-off socket and tells the child where; the child takes it before it
     * reports ready. The parent keeps its own descriptor, so the socket outlives this child.
     */
    private void handOverSocket(long deadline) throws Exception {
        int fd = context.socketDescriptor(identity.id()).orElseThrow(() -> fail(
                "the server cannot hand its listening socket to a child process on this transport"));
        Path handoff = socketDir.resolve("w" + identity.id() + "-g" + identity.generation() + ".fd");
        SocketHandoff.offer(handoff, fd, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        control.send("socket", handoff.toString());
        // The slot's UDP sockets, one per datagram protocol, each on a hand-off socket of its own; one path a line.
        List<String> paths = new ArrayList<>();
        List<Integer> datagrams = context.datagramDescriptors(identity.id());
        for (int i = 0; i < datagrams.size(); i++) {
            Path path = socketDir.resolve("w" + identity.id() + "-g" + identity.generation() + "-u" + i + ".fd");
            SocketHandoff.offer(path, datagrams.get(i), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            paths.add(path.toString());
        }
        control.send("datagrams", String.join("\n", paths));
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
                    case "ready" -> {
                        heardNanos = System.nanoTime();
                        ready.complete("");
                    }
                    case "failed" -> ready.complete(m.get().body().isEmpty() ? "failed" : m.get().body());
                    case "heartbeat" -> {
                        String body = m.get().body();
                        int newline = body.indexOf('\n');
                        String[] parts = (newline < 0 ? body : body.substring(0, newline)).split(" ");
                        active = Integer.parseInt(parts[0]);
                        served = Long.parseLong(parts[1]);
                        heardNanos = System.nanoTime();
                        if (newline >= 0) {
                            updateMetrics(body.substring(newline + 1));
                        }
                    }
                    case "collected" -> {
                        String body = m.get().body();
                        int newline = body.indexOf('\n');
                        updateMetrics(body.substring(newline + 1));
                        var asked = collecting.remove(Long.parseLong(body.substring(0, newline)));
                        if (asked != null) {
                            asked.complete(null);
                        }
                    }
                    case "scrape" -> {
                        String id = m.get().body();
                        // Answered when every child's samples are in, from whichever thread brings the last.
                        metrics.whole().thenAccept(s -> control.trySend("scraped", id + "\n" + s.encode()));
                    }
                    case "stopped" -> active = 0;
                    default -> LOG.debug("worker {}: unknown control message {}", identity.id(), m.get().type());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("worker {}: control channel broke: {}", identity.id(), e.toString());
        }
        synchronized (metricsLock) {
            listening = false;
            if (child != null) {
                child.retire();
            }
        }
        collecting.values().forEach(f -> f.complete(null));
        ready.complete("the control channel closed" + exitText());
    }

    /** Asks the child for its samples; completes once they are in (or the channel ends). */
    private CompletableFuture<Void> collect() {
        long id = collectIds.incrementAndGet();
        var asked = new CompletableFuture<Void>();
        collecting.put(id, asked);
        asked.whenComplete((v, e) -> collecting.remove(id));
        if (control == null || !control.trySend("collect", Long.toString(id))) {
            asked.complete(null);
        }
        return asked;
    }

    private void updateMetrics(String encoded) {
        ServerMetrics.Child c;
        synchronized (metricsLock) {
            c = child;
        }
        if (c != null) {
            c.update(Samples.decode(encoded));
        }
    }

    /**
     * Kills the child once it has sent nothing for longer than the silence bound; returns when the child has ended.
     * Looks at least once per heartbeat interval. If this thread itself was held up for much longer than that (the
     * parent JVM paused), the heartbeats may be waiting unread in the socket: it looks once more before it judges.
     */
    private void watchHeartbeats() {
        long look = Heartbeat.INTERVAL.toNanos();
        long lookedNanos = System.nanoTime();
        while (!terminated.isDone()) {
            long now = System.nanoTime();
            long silent = now - heardNanos;
            boolean parentHeldUp = now - lookedNanos > 2 * look;
            lookedNanos = now;
            if (silent >= silenceBound.toNanos() && !parentHeldUp) {
                kill(Duration.ofNanos(silent));
                return;
            }
            long wait = parentHeldUp ? look : Math.max(1, Math.min(look, silenceBound.toNanos() - silent));
            try {
                terminated.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Time to look again.
            } catch (ExecutionException | InterruptedException e) {
                return;
            }
        }
    }

    private void kill(Duration silent) {
        Process p = process;
        if (!p.isAlive()) {
            return;
        }
        String seconds = String.valueOf(Math.round(silent.toMillis() / 100.0) / 10.0);
        LOG.warn("worker {} (generation {}, process {}) sent no heartbeat for {} s: taking it for hung and killing it",
                identity.id(), identity.generation(), p.pid(), seconds);
        silence = Optional.of("no heartbeat for " + seconds + " s");
        p.destroyForcibly();
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
        return Optional.of("process " + p.pid() + silence.map(s -> " sent " + s + " and was killed")
                .orElseGet(() -> " exited with status " + p.exitValue()));
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
