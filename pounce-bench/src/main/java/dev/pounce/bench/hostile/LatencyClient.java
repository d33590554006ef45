package dev.pounce.bench.hostile;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code latency}: the well-behaved client whose latency the hostile ones must not ruin. {@code --connections}
 * keep-alive connections (default 4), each on its own platform thread, send {@code GET --path} in a closed loop
 * (the next request as soon as the response's last byte is in) for {@code --warmup} seconds unrecorded and then
 * {@code --duration} seconds (default 20) recorded. Every latency is kept, so p99 and max are exact.
 *
 * <p>Prints {@code result requests= rps= p50_ms= p90_ms= p99_ms= p999_ms= max_ms= errors= timeouts=}. An error
 * (refused, reset, non-200, malformed) is counted, the connection is opened again and the loop goes on; a response
 * slower than {@code --read-timeout-ms} (default 10,000) is a timeout, counted apart, and not a latency sample.
 */
final class LatencyClient {

    private LatencyClient() {
    }

    static void run(Flags flags) throws InterruptedException {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int connections = flags.integer("--connections", 4);
        int duration = flags.integer("--duration", 20);
        int warmup = flags.integer("--warmup", 0);
        String path = flags.string("--path", "/");
        int readTimeout = flags.integer("--read-timeout-ms", 10_000);
        flags.rejectUnread();

        byte[] request = Http1Client.get(path, host, port);
        long start = System.nanoTime();
        long recordFrom = start + warmup * 1_000_000_000L;
        long end = recordFrom + duration * 1_000_000_000L;
        var errors = new AtomicLong();
        var timeouts = new AtomicLong();
        List<Latencies> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            var samples = new Latencies();
            perThread.add(samples);
            threads.add(Thread.ofPlatform().name("latency-" + i).start(() -> loop(host, port, request, readTimeout,
                    recordFrom, end, samples, errors, timeouts)));
        }
        for (Thread t : threads) {
            t.join();
        }
        Latencies all = Latencies.merge(perThread);
        new Report()
                .put("requests", all.count())
                .put("rps", all.count() / (double) duration)
                .millis("p50_ms", all.quantile(0.50))
                .millis("p90_ms", all.quantile(0.90))
                .millis("p99_ms", all.quantile(0.99))
                .millis("p999_ms", all.quantile(0.999))
                .millis("max_ms", all.max())
                .put("errors", errors.get())
                .put("timeouts", timeouts.get())
                .print();
    }

    private static void loop(String host, int port, byte[] request, int readTimeout, long recordFrom, long end,
                             Latencies samples, AtomicLong errors, AtomicLong timeouts) {
        Http1Client client = null;
        while (System.nanoTime() < end) {
            try {
                if (client == null) {
                    client = new Http1Client(host, port, readTimeout);
                }
                long sent = System.nanoTime();
                client.send(request);
                Http1Client.Head head = client.readHead();
                client.readBody(head, (b, o, n) -> { });
                long done = System.nanoTime();
                if (head.status() != 200) {
                    errors.incrementAndGet();
                } else if (sent >= recordFrom && done <= end) {
                    samples.add(done - sent);
                }
                if (head.close()) {
                    client.close();
                    client = null;
                }
            } catch (SocketTimeoutException e) {
                timeouts.incrementAndGet();
                client = reset(client);
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                client = reset(client);
                pause();
            }
        }
        reset(client);
    }

    private static Http1Client reset(Http1Client client) {
        if (client != null) {
            client.close();
        }
        return null;
    }

    // After an error, a short pause keeps a refusing server from turning the loop into a busy spin.
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
