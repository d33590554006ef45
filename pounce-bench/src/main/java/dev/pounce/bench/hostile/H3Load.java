package dev.pounce.bench.hostile;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code h3-load}: a closed-loop HTTP/3 load client, h2load's {@code -c} and {@code -m} for QUIC, on Netty's HTTP/3
 * client. {@code --connections} (16) QUIC connections each keep {@code --streams} (10) {@code GET --path} (/)
 * requests in flight, each on its own request stream, and open the next as soon as one ends, for {@code --warmup}
 * (5) seconds unrecorded and then {@code --duration} (10) seconds recorded; {@code --threads} (1) event loops share
 * the connections. Every latency (from opening the stream to the response's end) is kept, so the percentiles are
 * exact.
 *
 * <p>A request counts in the measured window when it ends inside it; one that fails (a reset, no response) counts
 * as an error, one with a status other than 2xx as {@code non2xx}. A request that finds the server's stream limit
 * (MAX_STREAMS, {@code --http3-max-concurrent-streams}) used up waits for the server to raise it, as a browser does,
 * and counts in {@code credit_waits}. Prints its progress on standard error and {@code result protocol=h3
 * connections= streams= threads= seconds= requests= rps= errors= non2xx= bytes= credit_waits= p50_ms= p90_ms= p99_ms=
 * p999_ms= max_ms=} on standard output.
 */
final class H3Load {

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final String authority;
    private final String path;
    private final int streams;
    private volatile int phase = WARMUP;
    private volatile long measureStart;
    private volatile long measureEnd = Long.MAX_VALUE;

    /** One connection's loop of requests and what it recorded; touched only on the connection's event loop. */
    private final class Connection {
        final QuicChannel quic;
        final Latencies latencies = new Latencies();
        long requests;
        long errors;
        long non2xx;
        long bytes;
        int inFlight;
        /** Requests waiting for the server to allow more streams (MAX_STREAMS). */
        int waiting;
        /** Times a request had to wait for stream credit. */
        long creditWaits;
        final CountDownLatch drained = new CountDownLatch(1);

        Connection(QuicChannel quic) {
            this.quic = quic;
        }

        void start() {
            quic.eventLoop().execute(() -> {
                // The server's MAX_STREAMS frames: requests that waited for credit go now.
                quic.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof QuicStreamLimitChangedEvent) {
                            for (int n = waiting; n > 0; n--) {
                                waiting--;
                                next();
                            }
                        }
                        ctx.fireUserEventTriggered(evt);
                    }
                });
                for (int i = 0; i < streams; i++) {
                    next();
                }
            });
        }

        private void next() {
            if (phase == STOP || !quic.isActive()) {
                if (inFlight == 0) {
                    drained.countDown();
                }
                return;
            }
            // Opening a stream past the server's limit fails at once; wait for its MAX_STREAMS instead, as
            // browsers do.
            if (quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) == 0) {
                waiting++;
                creditWaits++;
                return;
            }
            inFlight++;
            long started = System.nanoTime();
            H3Request.get(quic, authority, path, (status, got) -> {
                inFlight--;
                long ended = System.nanoTime();
                if (ended >= measureStart && ended < measureEnd && phase != WARMUP) {
                    requests++;
                    bytes += got;
                    if (status == 0) {
                        errors++;
                    } else if (status < 200 || status >= 300) {
                        non2xx++;
                    }
                    latencies.add(ended - started);
                }
                next();
            });
        }
    }

    private H3Load(String authority, String path, int streams) {
        this.authority = authority;
        this.path = path;
        this.streams = streams;
    }

    static void run(Flags flags) throws Exception {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int connections = Math.max(1, flags.integer("--connections", 16));
        int streams = Math.max(1, flags.integer("--streams", 10));
        int threads = Math.max(1, flags.integer("--threads", 1));
        int warmup = flags.integer("--warmup", 5);
        int duration = Math.max(1, flags.integer("--duration", 10));
        String path = flags.string("--path", "/");
        flags.rejectUnread();

        var load = new H3Load(host + ":" + port, path, streams);
        try (var clients = new QuicClients(new InetSocketAddress(host, port), threads, 60)) {
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                conns.add(load.new Connection(clients.connect().get(30, TimeUnit.SECONDS)));
            }
            Report.progress("h3-load: %d connections up, %d streams each, %d thread(s); %d s warm-up, %d s measured",
                    connections, streams, threads, warmup, duration);
            conns.forEach(Connection::start);
            Thread.sleep(warmup * 1000L);
            load.measureStart = System.nanoTime();
            load.phase = MEASURE;
            Thread.sleep(duration * 1000L);
            load.measureEnd = System.nanoTime();
            load.phase = STOP;
            // A connection whose requests all wait for stream credit has none in flight to end it.
            conns.forEach(c -> c.quic.eventLoop().execute(() -> {
                if (c.inFlight == 0) {
                    c.drained.countDown();
                }
            }));
            double seconds = (load.measureEnd - load.measureStart) / 1e9;
            for (Connection c : conns) {
                if (!c.drained.await(10, TimeUnit.SECONDS)) {
                    Report.progress("h3-load: a connection still had %d requests in flight after 10 s", c.inFlight);
                }
            }
            long requests = 0;
            long errors = 0;
            long non2xx = 0;
            long bytes = 0;
            long creditWaits = 0;
            for (Connection c : conns) {
                // Read on the connection's loop, which wrote them.
                long[] counts = c.quic.eventLoop().submit(() -> new long[]{c.requests, c.errors, c.non2xx, c.bytes,
                                c.creditWaits}).get(10, TimeUnit.SECONDS);
                requests += counts[0];
                errors += counts[1];
                non2xx += counts[2];
                bytes += counts[3];
                creditWaits += counts[4];
            }
            Latencies all = Latencies.merge(conns.stream().map(c -> c.latencies).toList());
            new Report()
                    .put("protocol", "h3")
                    .put("connections", connections)
                    .put("streams", streams)
                    .put("threads", threads)
                    .put("seconds", seconds)
                    .put("requests", requests)
                    .put("rps", requests / seconds)
                    .put("errors", errors)
                    .put("non2xx", non2xx)
                    .put("bytes", bytes)
                    .put("credit_waits", creditWaits)
                    .millis("p50_ms", all.quantile(0.50))
                    .millis("p90_ms", all.quantile(0.90))
                    .millis("p99_ms", all.quantile(0.99))
                    .millis("p999_ms", all.quantile(0.999))
                    .millis("max_ms", all.max())
                    .print();
            conns.forEach(c -> c.quic.close());
        }
    }
}
