package dev.pounce.example.echo;

import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;

/**
 * One echo tunnel. Every callback runs on the tunnel's event loop, so its state needs no lock. A chunk goes back
 * while the tunnel is writable; otherwise it waits, and its credit is returned only once it is written, which is
 * what makes a client that does not read stop sending.
 */
final class Echo implements TunnelListener {

    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private Tunnel tunnel;
    private boolean clientEnded;
    private boolean waitingForWritable;

    @Override
    public void onOpen(Tunnel accepted) {
        // The first call, on the event loop: the tunnel is here before any byte is.
        this.tunnel = accepted;
    }

    @Override
    public void onData(ByteBuf data) {
        waiting.add(data);
        flush();
    }

    @Override
    public void onEnd() {
        clientEnded = true;
        flush();
    }

    @Override
    public void onClosed(boolean clean) {
        ByteBuf b;
        while ((b = waiting.poll()) != null) {
            b.release();
        }
    }

    private void flush() {
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
