package dev.pounce.bench.hostile;

import io.netty.handler.codec.quic.QuicChannel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle --protocol h3}: what {@link IdleConnections} does over HTTP/1.1 and h2c, over QUIC with Netty's HTTP/3
 * client: {@code --connections} QUIC connections, each with one {@code GET /} answered, then idle until standard
 * input ends (or {@code --duration} seconds), then a second {@code GET /} on each. At most {@code --max-pending}
 * connections are handshaking or awaiting their first answer at a time. The client's idle timeout is an hour, so
 * the server's ({@code --http3-idle-timeout}) is the one that counts. Prints the same {@code open} and
 * {@code result} lines as the other protocols.
 */
final class IdleH3 {

    private IdleH3() {
    }

    /** One connection and how its requests went. */
    private static final class Conn {
        volatile QuicChannel quic;
        final CompletableFuture<Boolean> first = new CompletableFuture<>();
        /** Set when the connection closed after its first answer and before the second request. */
        volatile boolean closedWhileIdle;
        volatile boolean idle;
    }

    static void run(String host, int port, int connections, int duration, int maxPending) throws Exception {
        String authority = host + ":" + port;
        try (var clients = new QuicClients(new InetSocketAddress(host, port), 1, 3600)) {
            List<Conn> conns = new ArrayList<>(connections);
            var pending = new Semaphore(maxPending);
            long start = System.nanoTime();
            long nextProgress = start + 5_000_000_000L;
            for (int i = 0; i < connections; i++) {
                pending.acquire();
                var c = new Conn();
                conns.add(c);
                c.first.whenComplete((ok, e) -> pending.release());
                clients.connect().addListener(f -> {
                    if (!f.isSuccess()) {
                        c.first.complete(false);
                        return;
                    }
                    c.quic = (QuicChannel) f.getNow();
                    c.quic.closeFuture().addListener(x -> {
                        if (c.idle) {
                            c.closedWhileIdle = true;
                        }
                        c.first.complete(false);
                    });
                    H3Request.get(c.quic, authority, "/", (status, bytes) -> {
                        c.idle = status == 200;
                        c.first.complete(status == 200);
                    });
                });
                if (System.nanoTime() >= nextProgress) {
                    nextProgress += 5_000_000_000L;
                    Report.progress("idle h3: %d connections started", i + 1);
                }
            }
            int ok = 0;
            int failed = 0;
            for (Conn c : conns) {
                if (answered(c.first)) {
                    ok++;
                } else {
                    failed++;
                }
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "open ok=%d failed=%d seconds=%.1f%n", ok, failed, openSeconds);
            System.out.flush();

            var stop = duration > 0 ? StopSignal.after(duration) : StopSignal.onStdinEnd(null);
            while (!stop.stopped()) {
                Thread.sleep(200);
            }

            int closedWhileIdle = 0;
            var second = new ArrayList<CompletableFuture<Boolean>>();
            for (Conn c : conns) {
                if (c.closedWhileIdle) {
                    closedWhileIdle++;
                } else if (c.idle) {
                    var answer = new CompletableFuture<Boolean>();
                    H3Request.get(c.quic, authority, "/", (status, bytes) -> answer.complete(status == 200));
                    second.add(answer);
                }
            }
            int secondOk = 0;
            int secondFailed = 0;
            for (var answer : second) {
                if (answered(answer)) {
                    secondOk++;
                } else {
                    secondFailed++;
                }
            }
            new Report()
                    .put("protocol", "h3")
                    .put("connections", connections)
                    .put("first_ok", ok)
                    .put("first_failed", failed)
                    .put("open_seconds", openSeconds)
                    .put("closed_while_idle", closedWhileIdle)
                    .put("second_ok", secondOk)
                    .put("second_failed", secondFailed)
                    .print();
            for (Conn c : conns) {
                if (c.quic != null) {
                    c.quic.close();
                }
            }
        }
    }

    /** @return whether the request got a 200 within 30 s; one that hangs counts as failed, as over TCP */
    private static boolean answered(CompletableFuture<Boolean> answer) throws Exception {
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
