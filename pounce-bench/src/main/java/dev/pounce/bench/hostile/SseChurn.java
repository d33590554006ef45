package dev.pounce.bench.hostile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sse}: server-sent event streams opened and closed over and over, for the soak. {@code --connections}
 * (default 4) threads each open a new connection, {@code GET /sse?count=N&interval=MS} ({@code --count} 20,
 * {@code --interval} 50), and alternately read the stream to its end (and check that all N events came) or hang up
 * after {@code --abort-after} (default 5) events, so the server sees both a finished stream and a client that
 * leaves mid-stream. Runs for {@code --duration} seconds, or with 0 (the default) until standard input ends.
 *
 * <p>Prints {@code result streams_complete= streams_aborted= events= errors=}; an error is a refused or broken
 * connection, a status other than 200, or a complete stream with the wrong number of events.
 */
final class SseChurn {

    /** Thrown from the body sink to hang up mid-stream; not an error. */
    private static final class HangUp extends IOException {
        HangUp() {
            super("hang up");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown once per abandoned stream: no stack to walk
        }
    }

    private SseChurn() {
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void run(Flags flags) throws InterruptedException {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int connections = flags.integer("--connections", 4);
        int count = flags.integer("--count", 20);
        int interval = flags.integer("--interval", 50);
        int abortAfter = flags.integer("--abort-after", 5);
        int duration = flags.integer("--duration", 0);
        flags.rejectUnread();
        var stop = duration > 0 ? StopSignal.after(duration) : StopSignal.onStdinEnd(null);
        byte[] request = Http1Client.get("/sse?count=" + count + "&interval=" + interval, host, port);
        var complete = new AtomicLong();
        var aborted = new AtomicLong();
        var events = new AtomicLong();
        var errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            threads.add(Thread.ofPlatform().name("sse-" + t).start(() -> {
                for (long i = 0; !stop.stopped(); i++) {
                    boolean hangUp = i % 2 == 1;
                    long[] seen = {0, 0}; // events, the previous byte was '\n'
                    try (var client = new Http1Client(host, port, 30_000)) {
                        client.send(request);
                        Http1Client.Head head = client.readHead();
                        if (head.status() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        client.readBody(head, (b, o, n) -> {
                            for (int k = o; k < o + n; k++) {
                                boolean newline = b[k] == '\n';
                                if (newline && seen[1] == 1) {
                                    seen[0]++;
                                }
                                seen[1] = newline ? 1 : 0;
                            }
                            if (hangUp && seen[0] >= abortAfter) {
                                throw new HangUp();
                            }
                        });
                        if (seen[0] == count) {
                            complete.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (HangUp e) {
                        aborted.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                        pause(); // a refusing server must not turn this loop into a busy spin
                    } finally {
                        events.addAndGet(seen[0]);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        new Report()
                .put("streams_complete", complete.get())
                .put("streams_aborted", aborted.get())
                .put("events", events.get())
                .put("errors", errors.get())
                .print();
    }
}
