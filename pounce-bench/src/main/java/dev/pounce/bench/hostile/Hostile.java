package dev.pounce.bench.hostile;

/**
 * Hostile and well-behaved HTTP clients for the scripts {@code pounce-bench/hostile.sh} and
 * {@code pounce-bench/soak.sh}: {@code java -cp CP dev.pounce.bench.hostile.Hostile SUBCOMMAND --flag value ...}.
 * <ul>
 *   <li>{@code slowloris}: N connections that drip a request head one byte a second and never finish it
 *       ({@link Slowloris}).</li>
 *   <li>{@code latency}: a closed-loop keep-alive client that keeps every latency ({@link LatencyClient}).</li>
 *   <li>{@code idle}: N keep-alive connections over HTTP/1.1, h2c or HTTP/3, one request each, then idle, then a second
 *       request each ({@link IdleConnections}, {@link IdleH3}).</li>
 *   <li>{@code slow-reader}: clients that ask for a large streamed response and never read it
 *       ({@link SlowReader}).</li>
 *   <li>{@code sse}: server-sent event streams opened, read or abandoned, and opened again ({@link SseChurn}).</li>
 *   <li>{@code h3-load}: a closed-loop HTTP/3 load client, connections times concurrent streams, with exact latency
 *       percentiles ({@link H3Load}); not hostile, but {@code h2load} has no QUIC here.</li>
 * </ul>
 * Each prints one {@code result key=value ...} line on standard output at the end (see {@link Report}) and its
 * progress on standard error; every flag has a default, {@code --host} is 127.0.0.1 and {@code --port} 8000.
 * Exit status 2 for a bad command line.
 */
public final class Hostile {

    private Hostile() {
    }

    /**
     * Runs one subcommand.
     *
     * @param args the subcommand's name, then its flags
     * @throws Exception if the subcommand fails in a way it does not count
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        try {
            var flags = new Flags(args[0], args, 1);
            switch (args[0]) {
                case "slowloris" -> Slowloris.run(flags);
                case "latency" -> LatencyClient.run(flags);
                case "idle" -> IdleConnections.run(flags);
                case "slow-reader" -> SlowReader.run(flags);
                case "sse" -> SseChurn.run(flags);
                case "h3-load" -> H3Load.run(flags);
                default -> {
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("hostile: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println("usage: Hostile slowloris|latency|idle|slow-reader|sse|h3-load [--flag value ...]; "
                + "see the javadoc of dev.pounce.bench.hostile.Hostile");
    }
}
