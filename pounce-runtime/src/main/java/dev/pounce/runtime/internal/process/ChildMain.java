package dev.pounce.runtime.internal.process;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.EventBus;
import dev.pounce.runtime.internal.Preflight;
import dev.pounce.runtime.internal.app.AppLoader;
import dev.pounce.runtime.internal.bridge.LifespanRunner;
import dev.pounce.runtime.internal.bridge.Readiness;
import dev.pounce.runtime.internal.failure.AppLoadFailure;
import dev.pounce.runtime.internal.failure.StartFailure;
import dev.pounce.runtime.internal.listen.ServerSockets;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.runtime.internal.plugins.Plugins;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.worker.EventLoopWorker;
import dev.pounce.runtime.internal.worker.WorkerServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The main class of a {@code process} worker: a child JVM started by the supervisor with the same runtime and module
 * path. It connects to the control socket named by {@value ControlChannel#SOCKET_ENV}, receives its identity, the APP
 * spec, the whole config, its slot's listening socket (a file descriptor, see {@link SocketHandoff}) and its slot's UDP
 * sockets, one per datagram protocol, loads the
 * app, runs lifespan startup, accepts on that socket and reports {@code ready}; then it serves until told to drain or stop, or until the channel closes (the parent is
 * gone), and exits. While it serves, its {@link Heartbeat} tells the parent each second that its event loop still
 * turns; a child that falls silent is killed by the parent. With {@code --metrics-path} its heartbeats carry its
 * metrics' samples, it answers the parent's {@code collect} with them, and a scrape it receives asks the parent for
 * the whole server's ({@link ParentLink}). The launcher runs it with
 * {@code -m dev.pounce.runtime/...ChildMain}; the package need not be exported.
 */
public final class ChildMain {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);

    /** How long the child waits for its listening socket from the supervisor. */
    private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(30);

    /** Exit status when the child could not start. */
    static final int FAILED_TO_START = 3;

    private ChildMain() {
    }

    /**
     * @param args none
     */
    public static void main(String[] args) {
        String socket = System.getenv(ControlChannel.SOCKET_ENV);
        if (socket == null || socket.isBlank()) {
            System.err.println("pounce: this is a Pounce worker process; the supervisor starts it with "
                    + ControlChannel.SOCKET_ENV + " set");
            System.exit(2);
        }
        // Ctrl-C reaches the whole process group; the parent decides how its children drain.
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot ignore SIGINT here: {}", e.getMessage());
        }
        ControlChannel control;
        try {
            control = ControlChannel.connect(Path.of(socket));
        } catch (IOException e) {
            System.err.println("pounce: worker cannot reach its supervisor at " + socket + ": " + e.getMessage());
            System.exit(FAILED_TO_START);
            return;
        }
        System.exit(run(control));
    }

    private static int run(ControlChannel control) {
        WorkerIdentity identity;
        String spec;
        ServerConfig config;
        try {
            String[] id = expect(control, "identity").split(" ");
            identity = new WorkerIdentity(Integer.parseInt(id[0]), Integer.parseInt(id[1]));
            spec = expect(control, "app");
            config = ConfigCodec.decode(expect(control, "config"));
        } catch (IOException | RuntimeException e) {
            control.trySend("failed", "bad start-up messages from the supervisor: " + e.getMessage());
            return FAILED_TO_START;
        }
        Thread.currentThread().setName("pounce-worker-main-" + identity.id());
        Map<String, Object> state = new ConcurrentHashMap<>();
        LifespanRunner lifespan;
        EventLoopWorker worker;
        ServerSockets sockets = null;
        var parent = new ParentLink(control);
        ServerMetrics metrics = ServerMetrics.forChild(config, config.resolvedWorkers(), parent::ask);
        try {
            Plugins plugins = Plugins.load();
            // Each child loads the certificate and key itself: key material never crosses the control channel.
            Preflight plan = Preflight.forChild(config, plugins);
            int fd = SocketHandoff.receive(Path.of(expect(control, "socket")), HANDOFF_TIMEOUT);
            List<Integer> datagramFds = new ArrayList<>();
            for (String path : expect(control, "datagrams").lines().filter(l -> !l.isBlank()).toList()) {
                datagramFds.add(SocketHandoff.receive(Path.of(path), HANDOFF_TIMEOUT));
            }
            sockets = ServerSockets.adopt(plan.config(), plan.transport(), fd, datagramFds);
            App app = AppLoader.forCurrentThread().load(spec.isEmpty() ? Optional.empty() : Optional.of(spec)).app();
            lifespan = new LifespanRunner(app, state);
            if (lifespan.startup(config.timeouts().startup()) instanceof LifespanRunner.Outcome.Failed f) {
                throw new IllegalStateException("lifespan startup failed: " + f.message());
            }
            var services = new WorkerServices(plan.config(), app, state, plan.transport(), sockets,
                    plan.config().resolvedWorkers(), plan.protocols(), new EventBus(plugins.listeners()), plan.tls(),
                    plan.preambles(), plan.altSvc(plan.config().port()), new Readiness(), metrics,
                    plan.middleware());
            worker = new EventLoopWorker(identity, services);
            worker.start();
        } catch (AppLoadFailure | StartFailure e) {
            closeQuietly(sockets);
            control.trySend("failed", e.getMessage());
            return FAILED_TO_START;
        } catch (Exception | LinkageError e) {
            closeQuietly(sockets);
            control.trySend("failed", e.getMessage() == null ? e.toString() : e.getMessage());
            return FAILED_TO_START;
        }
        control.trySend("ready", "");
        try (var heartbeat = Heartbeat.start(control, worker, metrics)) {
            ServerSockets adopted = sockets;
            Threads.control("control-" + identity.id(), () -> obey(control, worker, metrics, parent, adopted));
            worker.terminated().join();
            // The heartbeat goes on through the lifespan shutdown, which is bounded by its own timeout.
            lifespan.shutdown(Duration.ofSeconds(Math.max(1, config.timeouts().gracefulShutdown().toSeconds())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.close();
        control.trySend("stopped", "");
        control.close();
        return 0;
    }

    /** Carries out the supervisor's orders until the channel closes; then stops at once. */
    private static void obey(ControlChannel control, EventLoopWorker worker, ServerMetrics metrics,
                             ParentLink parent, ServerSockets sockets) {
        while (true) {
            Optional<ControlChannel.Message> m;
            try {
                m = control.receive();
            } catch (IOException e) {
                m = Optional.empty();
            }
            if (m.isEmpty()) {
                if (!worker.terminated().isDone()) {
                    LOG.warn("worker {}: the supervisor is gone; stopping", worker.identity().id());
                    worker.stop();
                    // If the loop does not end promptly, a worker without a parent must still not linger.
                    worker.terminated().completeOnTimeout(null, 5, TimeUnit.SECONDS)
                            .thenRun(() -> Runtime.getRuntime().halt(1));
                }
                return;
            }
            switch (m.get().type()) {
                case "drain" -> {
                    // A reload or a restart: the slot's next child reads the same UDP sockets, and a packet must
                    // not land in this one, which would drop it. This child's own datagram connections end here.
                    sockets.pauseDatagrams();
                    worker.drain(m.get().body());
                }
                case "shutdown" -> worker.drainForShutdown(m.get().body());
                case "stop" -> worker.stop();
                // The parent gathers every child's samples for a scrape (see ServerMetrics).
                case "collect" -> control.trySend("collected", m.get().body() + "\n" + metrics.local().encode());
                case "scraped" -> parent.answered(m.get().body());
                default -> LOG.warn("worker {}: unknown control message {}", worker.identity().id(), m.get().type());
            }
        }
    }

    private static void closeQuietly(ServerSockets sockets) {
        if (sockets != null) {
            sockets.close();
        }
    }

    private static String expect(ControlChannel control, String type) throws IOException {
        var m = control.receive().orElseThrow(() -> new IOException("the supervisor closed the channel"));
        if (!m.type().equals(type)) {
            throw new IOException("expected " + type + ", got " + m.type());
        }
        return m.body();
    }
}
