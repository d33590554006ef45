package dev.pounce.ws;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Takes the {@code websocket} token from any origin: an HTTP/1.1 {@code Upgrade: websocket} or an HTTP/2 (or 3)
 * extended CONNECT with {@code :protocol websocket}. It checks the handshake ({@link Handshake}), refuses a bad one
 * itself (400, or 426 for another version) and hands a good one to the app through the bridge's WebSocket door; the
 * app's accept or denial answers the offer. Called on the event loop; never blocks.
 */
public final class WebSocketProvider implements UpgradeProvider {

    /** Made by ServiceLoader. */
    public WebSocketProvider() {
    }

    @Override
    public String token() {
        return "websocket";
    }

    /** @return false under {@code --no-ws}: then no origin offers this provider anything */
    @Override
    public boolean enabled(ServerConfig config) {
        return config.section(WebSocketSection.SECTION).enabled();
    }

    @Override
    public boolean offer(UpgradeOffer offer) {
        WebSocketConfig config = offer.context().config().section(WebSocketSection.SECTION);
        switch (Handshake.check(offer.head(), config)) {
            case Handshake.Refused r -> {
                Session.LOG.debug("websocket handshake refused on connection {}: {} {}", offer.context().info().id(),
                        r.status(), r.reason());
                Headers fields = r.headers();
                Headers fromBridge = offer.context().bridge().rejected(offer.context().info(), r.status(),
                        r.reason());
                for (int i = 0; i < fromBridge.size(); i++) {
                    fields = fields.with(fromBridge.name(i), fromBridge.value(i));
                }
                offer.deny(r.status(), fields,
                        Unpooled.wrappedBuffer((r.reason() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            case Handshake.Valid v -> {
                var session = new Session(offer, v, config);
                session.start(offer.context().bridge().serveWebSocket(session));
            }
        }
        return true;
    }
}
