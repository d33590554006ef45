package dev.pounce.runtime.internal.supervisor;

import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code --reload} watcher, for development: every second ({@code pounce-reload-watcher}) it takes a snapshot of
 * the modification time and size of every file under the watched paths (the app's jar or classes folder and each
 * {@code --reload-dir}) and, when the snapshot changes, asks for a rolling reload. Polling needs no native watch
 * service and sees jars rewritten in place. Version-control and build-cache folders are skipped.
 */
public final class ReloadWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Set<String> SKIPPED = Set.of(".git", ".hg", ".svn", "node_modules", ".idea", ".mvn");

    private record Stamp(long modified, long size) { }

    private final List<Path> roots;
    private final Consumer<String> onChange;
    private volatile boolean closed;

    /**
     * @param roots    files or folders to watch
     * @param onChange told the first changed path of each change
     */
    public ReloadWatcher(List<Path> roots, Consumer<String> onChange) {
        this.roots = List.copyOf(roots);
        this.onChange = onChange;
    }

    /** Starts watching. */
    public void start() {
        LOG.info("watching for changes: {}", String.join(", ", roots.stream().map(Path::toString).toList()));
        Threads.control("reload-watcher", this::watch);
    }

    private void watch() {
        Map<Path, Stamp> before = snapshot(roots);
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            Map<Path, Stamp> now = snapshot(roots);
            Optional<Path> changed = firstDifference(before, now);
            before = now;
            if (changed.isPresent() && !closed) {
                LOG.info("{} changed; reloading", changed.get());
                onChange.accept(changed.get().toString());
            }
        }
    }

    /**
     * @param roots files or folders
     * @return every regular file under them with its time and size
     */
    static Map<Path, Stamp> snapshot(List<Path> roots) {
        Map<Path, Stamp> out = new HashMap<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.getFileName() == null || !SKIPPED.contains(p.getFileName().toString()))
                        .filter(p -> root.relativize(p).toString().isEmpty() || noSkippedPart(root.relativize(p)))
                        .forEach(p -> {
                            try {
                                var a = Files.readAttributes(p, BasicFileAttributes.class);
                                if (a.isRegularFile()) {
                                    out.put(p, new Stamp(a.lastModifiedTime().toMillis(), a.size()));
                                }
                            } catch (IOException e) {
                                // Deleted between the walk and the read: the next snapshot sees it gone.
                            }
                        });
            } catch (IOException | UncheckedIOException e) {
                LOG.debug("cannot walk {}: {}", root, e.toString());
            }
        }
        return out;
    }

    private static boolean noSkippedPart(Path relative) {
        for (Path part : relative) {
            if (SKIPPED.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param before the last snapshot
     * @param now    this one
     * @return a path that was added, removed or changed
     */
    static Optional<Path> firstDifference(Map<Path, Stamp> before, Map<Path, Stamp> now) {
        for (var e : now.entrySet()) {
            if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                return Optional.of(e.getKey());
            }
        }
        return before.keySet().stream().filter(p -> !now.containsKey(p)).findFirst();
    }

    @Override
    public void close() {
        closed = true;
    }
}
