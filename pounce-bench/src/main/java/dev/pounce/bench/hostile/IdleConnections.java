package dev.pounce.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code idle}: opens {@code --connections} (default 10,000) keep-alive connections, each sends one {@code GET /}
 * and reads its response, then all sit idle until standard input ends ({@code --duration 0}, the default) or for
 * {@code --duration} seconds; then each sends a second request, which proves that the server still held all of
 * them. {@code --protocol h1} (default), {@code h2} (cleartext, prior knowledge) or {@code h3}
 * (QUIC, by {@link IdleH3}). At most {@code --max-pending}
 * (default 200) connections are connecting or awaiting their first response at a time, to stay within the listen
 * backlog. One thread and one selector; a response that takes more than 30 s counts as failed.
 *
 * <p>Prints {@code open ok=N failed=F seconds=S} on standard output once every connection has its first answer (a
 * script measures the server's memory then), and at the end {@code result protocol= connections= first_ok=
 * first_failed= open_seconds= closed_while_idle= second_ok= second_failed=}.
 */
final class IdleConnections {

    private static final long RESPONSE_TIMEOUT_NANOS = 30_000_000_000L;
    private static final byte[] EMPTY = new byte[0];

    private enum Phase { CONNECTING, FIRST, IDLE, SECOND, ANSWERED, FAILED, CLOSED_WHILE_IDLE }

    /** One connection: its phase, the bytes of a response read so far, and any output not yet written. */
    private static final class Conn {
        final SocketChannel channel;
        final IdleProtocol.State protocol;
        SelectionKey key;
        Phase phase = Phase.CONNECTING;
        long sentAt;
        byte[] in = EMPTY;
        int inLength;
        ByteBuffer out;

        Conn(SocketChannel channel, IdleProtocol.State protocol) {
            this.channel = channel;
            this.protocol = protocol;
        }
    }

    private final InetSocketAddress target;
    private final IdleProtocol protocol;
    private final int connections;
    private final int maxPending;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final int[] counts = new int[Phase.values().length];
    private int secondOk;
    private int secondFailed;

    private IdleConnections(InetSocketAddress target, IdleProtocol protocol, int connections, int maxPending)
            throws IOException {
        this.target = target;
        this.protocol = protocol;
        this.connections = connections;
        this.maxPending = maxPending;
        this.selector = Selector.open();
    }

    static void run(Flags flags) throws Exception {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int connections = flags.integer("--connections", 10_000);
        String protocolName = flags.string("--protocol", "h1");
        int duration = flags.integer("--duration", 0);
        int maxPending = flags.integer("--max-pending", 200);
        flags.rejectUnread();
        if (protocolName.equals("h3")) {
            IdleH3.run(host, port, connections, duration, Math.max(1, maxPending));
            return;
        }
        var idle = new IdleConnections(new InetSocketAddress(host, port),
                IdleProtocol.named(protocolName, host + ":" + port), connections, Math.max(1, maxPending));
        long start = System.nanoTime();
        idle.openAll();
        double openSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "open ok=%d failed=%d seconds=%.1f%n", idle.count(Phase.IDLE),
                idle.count(Phase.FAILED), openSeconds);
        System.out.flush();
        var stop = duration > 0 ? StopSignal.after(duration) : StopSignal.onStdinEnd(idle.selector);
        idle.hold(stop);
        int closedWhileIdle = idle.count(Phase.CLOSED_WHILE_IDLE);
        int firstOk = idle.count(Phase.IDLE) + closedWhileIdle;
        int firstFailed = idle.count(Phase.FAILED);
        idle.secondRound();
        new Report()
                .put("protocol", protocolName)
                .put("connections", connections)
                .put("first_ok", firstOk)
                .put("first_failed", firstFailed)
                .put("open_seconds", openSeconds)
                .put("closed_while_idle", closedWhileIdle)
                .put("second_ok", idle.secondOk)
                .put("second_failed", idle.secondFailed)
                .print();
        idle.closeAll();
    }

    private int count(Phase phase) {
        return counts[phase.ordinal()];
    }

    private void moveTo(Conn c, Phase phase) {
        counts[c.phase.ordinal()]--;
        counts[phase.ordinal()]++;
        c.phase = phase;
    }

    private void openAll() throws IOException {
        int started = 0;
        long nextProgress = System.nanoTime() + 5_000_000_000L;
        while (count(Phase.IDLE) + count(Phase.FAILED) + count(Phase.CLOSED_WHILE_IDLE) < connections) {
            while (started < connections && count(Phase.CONNECTING) + count(Phase.FIRST) < maxPending) {
                connect();
                started++;
            }
            selector.select(100);
            handleKeys();
            failOverdue(Phase.FIRST);
            if (System.nanoTime() >= nextProgress) {
                nextProgress += 5_000_000_000L;
                Report.progress("idle: %d answered, %d failed, %d pending", count(Phase.IDLE), count(Phase.FAILED),
                        count(Phase.CONNECTING) + count(Phase.FIRST));
            }
        }
    }

    private void connect() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        var c = new Conn(ch, protocol.newState());
        conns.add(c);
        counts[Phase.CONNECTING.ordinal()]++;
        try {
            boolean done = ch.connect(target);
            c.key = ch.register(selector, done ? 0 : SelectionKey.OP_CONNECT, c);
            if (done) {
                connected(c);
            }
        } catch (IOException e) {
            fail(c);
        }
    }

    private void connected(Conn c) {
        try {
            c.channel.finishConnect();
            c.key.interestOps(SelectionKey.OP_READ);
            moveTo(c, Phase.FIRST);
            c.sentAt = System.nanoTime();
            write(c, protocol.opening(c.protocol));
        } catch (IOException e) {
            fail(c);
        }
    }

    private void hold(StopSignal stop) throws IOException {
        while (!stop.stopped()) {
            selector.select(1000);
            handleKeys();
        }
    }

    private void secondRound() throws IOException {
        long now = System.nanoTime();
        for (Conn c : conns) {
            if (c.phase == Phase.IDLE) {
                moveTo(c, Phase.SECOND);
                c.sentAt = now;
                write(c, protocol.request(c.protocol));
            }
        }
        while (count(Phase.SECOND) > 0) {
            selector.select(100);
            handleKeys();
            failOverdue(Phase.SECOND);
        }
    }

    private void failOverdue(Phase phase) {
        long now = System.nanoTime();
        for (Conn c : conns) {
            if (c.phase == phase && now - c.sentAt > RESPONSE_TIMEOUT_NANOS) {
                fail(c);
            }
        }
    }

    private void handleKeys() {
        for (SelectionKey key : selector.selectedKeys()) {
            Conn c = (Conn) key.attachment();
            if (!key.isValid()) {
                continue;
            }
            if (key.isConnectable()) {
                connected(c);
                continue;
            }
            if (key.isWritable()) {
                flush(c);
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        }
        selector.selectedKeys().clear();
    }

    private void read(Conn c) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            fail(c);
            return;
        }
        readBuffer.flip();
        if (c.in.length < c.inLength + n) {
            c.in = Arrays.copyOf(c.in, Math.max(c.inLength + n, 512));
        }
        readBuffer.get(c.in, c.inLength, n);
        c.inLength += n;
        var buffered = ByteBuffer.wrap(c.in, 0, c.inLength);
        while (true) {
            IdleProtocol.Progress progress = protocol.consume(c.protocol, buffered, reply -> write(c, reply));
            switch (progress) {
                case MORE -> {
                    keepRest(c, buffered);
                    return;
                }
                case DONE_OK, DONE_BAD -> answered(c, progress == IdleProtocol.Progress.DONE_OK);
                case GOING_AWAY -> {
                    fail(c);
                    return;
                }
            }
            if (!c.channel.isOpen()) {
                return;
            }
        }
    }

    // Unparsed bytes stay for the next read; an idle connection holds no buffer at all.
    private static void keepRest(Conn c, ByteBuffer buffered) {
        int rest = buffered.remaining();
        if (rest == 0) {
            c.in = EMPTY;
        } else {
            System.arraycopy(c.in, buffered.position(), c.in, 0, rest);
        }
        c.inLength = rest;
    }

    private void answered(Conn c, boolean ok) {
        switch (c.phase) {
            case FIRST -> {
                if (ok) {
                    moveTo(c, Phase.IDLE);
                } else {
                    fail(c);
                }
            }
            case SECOND -> {
                if (ok) {
                    secondOk++;
                    moveTo(c, Phase.ANSWERED);
                } else {
                    fail(c);
                }
            }
            // A response nobody asked for is a protocol error on the server's side.
            case CONNECTING, IDLE, ANSWERED, FAILED, CLOSED_WHILE_IDLE -> fail(c);
        }
    }

    private void fail(Conn c) {
        switch (c.phase) {
            case IDLE -> moveTo(c, Phase.CLOSED_WHILE_IDLE);
            case SECOND -> {
                secondFailed++;
                moveTo(c, Phase.FAILED);
            }
            case CONNECTING, FIRST, ANSWERED -> moveTo(c, Phase.FAILED);
            case FAILED, CLOSED_WHILE_IDLE -> { }
        }
        c.in = EMPTY;
        c.inLength = 0;
        c.out = null;
        try {
            c.channel.close();
        } catch (IOException e) {
            // already broken
        }
    }

    private void write(Conn c, ByteBuffer bytes) {
        if (c.out != null) {
            var joined = ByteBuffer.allocate(c.out.remaining() + bytes.remaining());
            joined.put(c.out).put(bytes).flip();
            c.out = joined;
        } else {
            c.out = bytes;
        }
        flush(c);
    }

    private void flush(Conn c) {
        if (c.out == null || !c.channel.isOpen()) {
            return;
        }
        try {
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                c.out = null;
                c.key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            fail(c);
        }
    }

    private void closeAll() {
        for (Conn c : conns) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // already broken
            }
        }
    }
}
