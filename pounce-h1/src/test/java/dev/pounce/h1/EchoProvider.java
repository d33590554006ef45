package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An upgrade provider for {@code echo} that answers from a virtual thread, as one that asks the app would: a target
 * of {@code /deny} is denied with 403, any other accepted, and its tunnel sends every byte back and ends when the
 * client ends.
 */
final class EchoProvider implements UpgradeProvider {

    /** How the last tunnel closed: clean or not. */
    final CompletableFuture<Boolean> closed = new CompletableFuture<>();

    @Override
    public String token() {
        return "echo";
    }

    @Override
    public boolean offer(UpgradeOffer offer) {
        Thread.ofVirtual().start(() -> {
            if (offer.head().target().equals("/deny")) {
                offer.deny(403, Headers.empty(), Unpooled.copiedBuffer("no echo", StandardCharsets.US_ASCII));
                return;
            }
            // The listener may be called on the loop before accept returns here: it waits for the tunnel without
            // blocking.
            var tunnel = new CompletableFuture<Tunnel>();
            tunnel.complete(offer.accept(Headers.of("x-echo", "on"), new Echo(tunnel)));
        });
        return true;
    }

    private final class Echo implements TunnelListener {
        private final CompletableFuture<Tunnel> tunnel;

        Echo(CompletableFuture<Tunnel> tunnel) {
            this.tunnel = tunnel;
        }

        @Override
        public void onData(ByteBuf data) {
            int n = data.readableBytes();
            tunnel.thenAccept(t -> {
                t.write(data);
                t.consumed(n);
            });
        }

        @Override
        public void onEnd() {
            tunnel.thenAccept(Tunnel::end);
        }

        @Override
        public void onClosed(boolean clean) {
            closed.complete(clean);
        }
    }
}
