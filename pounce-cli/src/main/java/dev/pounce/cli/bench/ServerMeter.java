package dev.pounce.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Reads a server process's CPU time and peak resident set from the operating system: through {@link ProcessHandle}
 * (on Linux the utime and stime of {@code /proc/PID/stat}, in clock ticks) and {@code VmHWM} of
 * {@code /proc/PID/status}. Either may be unknown on another system or for a process of another user.
 *
 * @param pid         the process
 * @param sharesClient whether the load client runs in this process too, so that its CPU time must be taken away
 */
public record ServerMeter(long pid, boolean sharesClient) {

    /** @return a meter of this JVM, where the server and the client both run */
    public static ServerMeter ofThisProcess() {
        return new ServerMeter(ProcessHandle.current().pid(), true);
    }

    /** @return the process's CPU time so far in nanoseconds, -1 when not known */
    public long cpuNanos() {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** @return the process's peak resident set size in bytes, when known */
    public OptionalLong peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).strip().split("\\s+")[0];
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone or not ours: the figure is shown as unknown.
        }
        return OptionalLong.empty();
    }
}
