package dev.pounce.example.echo;

import dev.pounce.api.Headers;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Answers each offer for the token {@code echo}: accepted on {@code --echo-path}, denied with 404 elsewhere. Called
 * on the event loop; answers at once, though a provider may answer later from any thread.
 */
public final class EchoProvider implements UpgradeProvider {

    private static final byte[] NOT_HERE = "no echo tunnel at this path\n".getBytes(StandardCharsets.US_ASCII);

    /** Made by ServiceLoader. */
    public EchoProvider() {
    }

    @Override
    public String token() {
        return "echo";
    }

    @Override
    public boolean offer(UpgradeOffer offer) {
        EchoConfig config = offer.context().config().section(EchoSection.SECTION);
        String target = offer.head().target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (!path.equals(config.path())) {
            offer.deny(404, Headers.of("content-type", "text/plain; charset=utf-8"), Unpooled.wrappedBuffer(NOT_HERE));
            return true;
        }
        offer.accept(Headers.of("x-echo", "ready"), new Echo());
        return true;
    }
}
