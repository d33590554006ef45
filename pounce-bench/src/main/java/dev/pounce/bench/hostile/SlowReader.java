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
 * {@code slow-reader}: {@code --clients} (default 50) connections each {@code POST --path} (default {@code /echo},
 * which streams the body back as it arrives) a body of {@code --size} bytes (default 1g) as fast as the server
 * takes it, and never read a byte of the response. The server's response writes back up until its write timeout
 * cuts the connection; the client sees the cut as a failed write (a reset) while it still has body to send, so the
 * body must be larger than what the server and the two kernels can buffer: the default is.
 *
 * <p>Prints {@code stalled clients=N uploaded_mib=X} on standard output once every live client's upload has made
 * no progress for {@code --stall-ms} (default 1000), the moment the server stopped reading because it cannot
 * write; and at the end {@code result clients= cut= not_cut= body_done= cut_after_stall_p50_ms=
 * cut_after_stall_max_ms= cut_after_start_p50_ms= cut_after_start_max_ms= uploaded_mib_mean= uploaded_mib_max=}.
 * "After stall" is from the client's last upload progress to the cut; "after start" from its connect. A client is
 * "not cut" when it is still connected {@code --max-wait} seconds (default 60) after the last one connected;
 * "body done" means the server read the whole body although nobody read its response.
 */
final class SlowReader {

    private static final int CHUNK = 256 * 1024;

    /** One client that uploads and never reads. */
    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer head;
        long connectedAt;
        long lastProgressAt;
        long cutAt;
        long bodyLeft;
        long uploaded;
        boolean connected;

        Client(SocketChannel channel, ByteBuffer head, long size) {
            this.channel = channel;
            this.head = head;
            this.bodyLeft = size;
        }

        boolean live() {
            return connected && cutAt == 0 && bodyLeft > 0;
        }
    }

    private SlowReader() {
    }

    static void run(Flags flags) throws IOException {
        String host = flags.string("--host", "127.0.0.1");
        int port = flags.integer("--port", 8000);
        int clients = flags.integer("--clients", 50);
        long size = flags.size("--size", 1L << 30);
        String path = flags.string("--path", "/echo");
        int maxWait = flags.integer("--max-wait", 60);
        int stallMs = flags.integer("--stall-ms", 1000);
        flags.rejectUnread();

        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocateDirect(CHUNK);
        while (body.hasRemaining()) {
            body.put((byte) 'x');
        }
        Selector selector = Selector.open();
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(host, port));
            ch.configureBlocking(false);
            var c = new Client(ch, ByteBuffer.wrap(head), size);
            c.connected = true;
            c.connectedAt = c.lastProgressAt = System.nanoTime();
            ch.register(selector, SelectionKey.OP_WRITE, c);
            all.add(c);
        }
        long deadline = System.nanoTime() + maxWait * 1_000_000_000L;
        boolean stalled = false;
        while (System.nanoTime() < deadline && all.stream().anyMatch(Client::live)) {
            selector.select(50);
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid() && key.isWritable()) {
                    upload((Client) key.attachment(), key, body, now);
                }
            }
            selector.selectedKeys().clear();
            if (!stalled && all.stream().filter(Client::live)
                    .allMatch(c -> now - c.lastProgressAt >= stallMs * 1_000_000L)) {
                stalled = true;
                long live = all.stream().filter(Client::live).count();
                double mib = all.stream().mapToLong(c -> c.uploaded).sum() / 1048576.0;
                System.out.printf(java.util.Locale.ROOT, "stalled clients=%d uploaded_mib=%.1f%n", live, mib);
                System.out.flush();
            }
        }
        report(all, clients);
        for (Client c : all) {
            c.channel.close();
        }
    }

    private static void upload(Client c, SelectionKey key, ByteBuffer body, long now) {
        try {
            long wrote = 0;
            while (true) {
                int n;
                if (c.head.hasRemaining()) {
                    n = c.channel.write(c.head);
                } else {
                    ByteBuffer piece = body.duplicate().clear();
                    piece.limit((int) Math.min(CHUNK, c.bodyLeft));
                    n = c.channel.write(piece);
                    c.bodyLeft -= n;
                    c.uploaded += n;
                }
                wrote += n;
                if (n == 0 || c.bodyLeft == 0) {
                    break;
                }
            }
            if (wrote > 0) {
                c.lastProgressAt = now;
            }
            if (c.bodyLeft == 0) {
                key.interestOps(0); // the body is out; a cut can no longer be seen without reading
            }
        } catch (IOException e) {
            c.cutAt = now;
            key.cancel();
        }
    }

    private static void report(List<Client> all, int clients) {
        var afterStall = new Latencies();
        var afterStart = new Latencies();
        long notCut = 0;
        long bodyDone = 0;
        long maxUploaded = 0;
        long sumUploaded = 0;
        for (Client c : all) {
            sumUploaded += c.uploaded;
            maxUploaded = Math.max(maxUploaded, c.uploaded);
            if (c.cutAt != 0) {
                afterStall.add(c.cutAt - c.lastProgressAt);
                afterStart.add(c.cutAt - c.connectedAt);
            } else if (c.bodyLeft == 0) {
                bodyDone++;
            } else {
                notCut++;
            }
        }
        Latencies stall = Latencies.merge(List.of(afterStall));
        Latencies start = Latencies.merge(List.of(afterStart));
        new Report()
                .put("clients", clients)
                .put("cut", stall.count())
                .put("not_cut", notCut)
                .put("body_done", bodyDone)
                .millis("cut_after_stall_min_ms", stall.quantile(0))
                .millis("cut_after_stall_p50_ms", stall.quantile(0.5))
                .millis("cut_after_stall_max_ms", stall.max())
                .millis("cut_after_start_p50_ms", start.quantile(0.5))
                .millis("cut_after_start_max_ms", start.max())
                .put("uploaded_mib_mean", sumUploaded / 1048576.0 / Math.max(1, all.size()))
                .put("uploaded_mib_max", maxUploaded / 1048576.0)
                .print();
    }
}
