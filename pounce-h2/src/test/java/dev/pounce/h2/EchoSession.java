package dev.pounce.h2;

import dev.pounce.spi.RequestHead;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted {@code echo} tunnel: sends back what it receives while the tunnel is writable, giving the credit back
 * only once a chunk is written, and ends its side when the client ends. Records what a test waits for. Its
 * callbacks run on the event loop.
 */
final class EchoSession implements TunnelListener {

    final RequestHead head;
    /** Completed when the client ends its side. */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Completed with the tunnel once the session holds it, on the event loop. */
    final CompletableFuture<Tunnel> opened = new CompletableFuture<>();
    /** Completed when the server drains. */
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Completed with {@code onClosed}'s {@code clean}. */
    final CompletableFuture<Boolean> closed = new CompletableFuture<>();
    /** Bytes received so far. */
    final AtomicLong received = new AtomicLong();

    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private Tunnel tunnel;
    private boolean waitingForWritable;
    private boolean clientEnded;

    EchoSession(UpgradeOffer offer) {
        this.head = offer.head();
    }

    /**
     * Takes the tunnel {@code accept} returned. An accept made off the event loop can race the tunnel's first
     * callbacks (this SPI hands the tunnel over only as accept's return value), so the tunnel is set on the loop and
     * what came before it waits.
     */
    void start(Tunnel accepted) {
        accepted.eventLoop().execute(() -> {
            tunnel = accepted;
            opened.complete(accepted);
            flush();
        });
    }

    @Override
    public void onData(ByteBuf data) {
        received.addAndGet(data.readableBytes());
        waiting.add(data);
        flush();
    }

    @Override
    public void onEnd() {
        clientEnded = true;
        ended.complete(null);
        flush();
    }

    @Override
    public void onDrain() {
        drained.complete(null);
    }

    @Override
    public void onClosed(boolean clean) {
        ByteBuf b;
        while ((b = waiting.poll()) != null) {
            b.release();
        }
        closed.complete(clean);
    }

    private void flush() {
        if (tunnel == null) {
            return;
        }
        while (!waiting.isEmpty() && tunnel.writable()) {
            ByteBuf b = waiting.poll();
            int n = b.readableBytes();
            tunnel.write(b);
            tunnel.consumed(n);
        }
        if (!waiting.isEmpty()) {
            if (!waitingForWritable) {
                waitingForWritable = true;
                tunnel.whenWritable(() -> {
                    waitingForWritable = false;
                    flush();
                });
            }
        } else if (clientEnded) {
            tunnel.end();
        }
    }
}
