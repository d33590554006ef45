package dev.pounce.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every protocol with every workload against one server, one after another, with a progress line on a
 * terminal.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    /**
     * @param server   {@code pounce} or {@code against}, for the reports
     * @param target   where
     * @param meter    the server process, to read its CPU time and peak RSS; {@code null} when not known
     * @param settings what to run
     * @param progress where the progress line goes, {@code null} for none
     * @return one result per protocol and workload
     * @throws InterruptedException if interrupted
     */
    public static List<Result> run(String server, LoadClient.Target target, ServerMeter meter, BenchSettings settings,
                                   PrintStream progress) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (Protocol protocol : settings.protocols()) {
            for (Workload workload : settings.workloads()) {
                String label = server + " " + workload.id() + " " + protocol.id();
                var plan = settings.plan(protocol, workload);
                long total = settings.warmupNanos() + settings.durationNanos();
                var outcome = LoadClient.run(target, plan, (elapsed, answered) -> {
                    if (progress != null) {
                        progress.printf(Locale.ROOT, "\r\033[K%s: %.0f%% %,d requests",
                                label, Math.min(100.0, 100.0 * elapsed / total), answered);
                        progress.flush();
                    }
                }, meter == null ? () -> -1 : meter::cpuNanos);
                if (progress != null) {
                    progress.print("\r\033[K");
                    progress.flush();
                }
                long cpu = outcome.serverCpuNanos();
                if (cpu >= 0 && meter != null && meter.sharesClient()) {
                    cpu = Math.max(0, cpu - outcome.clientCpuNanos());
                }
                results.add(new Result(server, workload, protocol, outcome, cpu,
                        meter == null ? java.util.OptionalLong.empty() : meter.peakRssBytes()));
            }
        }
        return results;
    }
}
