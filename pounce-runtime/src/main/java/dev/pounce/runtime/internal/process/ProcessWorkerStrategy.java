package dev.pounce.runtime.internal.process;

import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.metrics.MeteredContext;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerContext;
import dev.pounce.spi.WorkerGroup;
import dev.pounce.spi.WorkerStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The {@code process} strategy: N child JVMs ({@link ChildMain}) started from this JVM's runtime and module path.
 * Each accepts on its slot's listening socket, which the parent opened and hands over (with one shared socket, as for
 * {@code --uds} or {@code --no-reuse-port}, every child accepts on the same one), so no request passes through the
 * parent, and the parent's own copy keeps the socket and its queue while a child restarts; a crash, an OOM or a long
 * GC pause in one touches only its share of the traffic. They start in parallel, and {@link #start} returns when
 * every one serves. A child whose heartbeats stop for longer than the silence bound (10 s; read here when the server
 * starts, see {@link ChildProcessWorker}) is killed, and the supervisor restarts it.
 */
public final class ProcessWorkerStrategy implements WorkerStrategy {

    /** Made by {@link java.util.ServiceLoader}. */
    public ProcessWorkerStrategy() {
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean servesInThisJvm() {
        return false;
    }

    @Override
    public WorkerGroup start(WorkerContext context) throws Exception {
        String app = context.appReference().orElseThrow(() -> new IllegalArgumentException(
                "--worker-strategy process needs the app by name (an APP argument, or Server.builder(AppReference, "
                        + "config)): an App object cannot be handed to another JVM"));
        Path dir = Files.createTempDirectory("pounce-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        dir.toFile().deleteOnExit();
        List<String> command = ChildCommand.build();
        // The runtime's own context brings the server's metrics, which gather the children's counters.
        ServerMetrics metrics = context instanceof MeteredContext m ? m.metrics() : ServerMetrics.off();
        var group = new Group(context, app, dir, command, ChildProcessWorker.configuredSilenceBound(), metrics);
        List<CompletableFuture<Worker>> starting = new ArrayList<>();
        for (int slot = 0; slot < context.workers(); slot++) {
            Worker w = group.newWorker(slot, 0);
            var f = new CompletableFuture<Worker>();
            Thread.ofVirtual().name("pounce-spawn-" + slot).start(() -> {
                try {
                    w.start();
                    f.complete(w);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            starting.add(f);
        }
        List<Worker> started = new ArrayList<>();
        Exception failure = null;
        for (var f : starting) {
            try {
                started.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            started.forEach(Worker::stop);
            throw failure;
        }
        group.started = List.copyOf(started);
        return group;
    }

    private static final class Group implements WorkerGroup {
        private final WorkerContext context;
        private final String app;
        private final Path dir;
        private final List<String> command;
        private final Duration silenceBound;
        private final ServerMetrics metrics;
        private List<Worker> started = List.of();

        Group(WorkerContext context, String app, Path dir, List<String> command, Duration silenceBound,
              ServerMetrics metrics) {
            this.context = context;
            this.app = app;
            this.dir = dir;
            this.command = command;
            this.silenceBound = silenceBound;
            this.metrics = metrics;
        }

        @Override
        public List<Worker> workers() {
            return started;
        }

        @Override
        public Worker newWorker(int slot, int generation) {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
                }
            }
            return new ChildProcessWorker(new WorkerIdentity(slot, generation), context, app, dir, command,
                    silenceBound, metrics);
        }
    }
}
