package dev.pounce.cli.bench;

import java.util.List;

/**
 * What {@code pounce bench} runs, checked by the command before it starts.
 *
 * @param workloads      the workloads, in order
 * @param protocols      the protocols, each run with every workload
 * @param connections    connections per run
 * @param streams        requests at once per HTTP/2 connection
 * @param rate           requests per second per run, 0 for a closed loop
 * @param warmupNanos    unmeasured time before each run
 * @param durationNanos  measured time of each run
 * @param clientThreads  the load client's event loops
 */
public record BenchSettings(List<Workload> workloads, List<Protocol> protocols, int connections, int streams,
                            double rate, long warmupNanos, long durationNanos, int clientThreads) {

    /**
     * @param protocol a protocol
     * @param workload a workload
     * @return the load client's plan for them
     */
    LoadClient.Plan plan(Protocol protocol, Workload workload) {
        return new LoadClient.Plan(protocol, workload, connections, streams, rate, warmupNanos, durationNanos,
                clientThreads);
    }
}
