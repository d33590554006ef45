package dev.pounce.cli.bench;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The figures of one workload over one protocol against one server.
 *
 * @param server      which server: {@code pounce} (the one bench started) or {@code against}
 * @param workload    what was asked for
 * @param protocol    how
 * @param outcome     what the load client measured
 * @param cpuNanos    the server's CPU time over the window (the client's taken away when it shares the process), or
 *                    -1 when not known
 * @param peakRss     the server process's peak resident set so far, when known
 */
public record Result(String server, Workload workload, Protocol protocol, LoadClient.Outcome outcome, long cpuNanos,
                     OptionalLong peakRss) {

    /** @return measured successful requests per second */
    public double requestsPerSecond() {
        return outcome.requests() / (outcome.windowNanos() / 1e9);
    }

    /** @return the server's CPU microseconds per measured request, when known */
    public OptionalDouble cpuMicrosPerRequest() {
        long answered = outcome.requests() + outcome.errors();
        return cpuNanos < 0 || answered == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(cpuNanos / 1000.0 / answered);
    }

    /**
     * @param percentile 0 to 100
     * @return the latency at that percentile in microseconds
     */
    public double latencyMicros(double percentile) {
        return outcome.latencies().percentile(percentile) / 1000.0;
    }

    /** @return the largest latency in microseconds */
    public double maxMicros() {
        return outcome.latencies().max() / 1000.0;
    }
}
