package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only upgrade provider for the token {@code echo}, found by {@link java.util.ServiceLoader} through this
 * module's test resources, so every server the tests start offers extended CONNECT. By path: {@code /deny} is denied
 * with 403; {@code /decline} is declined (so the server answers 501); {@code /later/...} is taken and left for the
 * test to answer ({@link #pending}); anything else is accepted at once with an {@link EchoSession}, kept by path in
 * {@link #sessions}.
 */
public final class EchoProvider implements UpgradeProvider {

    /** The body of the denial. */
    static final String DENIED = "the echo provider says no\n";

    /** Accepted sessions, by the path asked for; a test uses a path of its own. */
    static final Map<String, CompletableFuture<EchoSession>> sessions = new ConcurrentHashMap<>();

    /** Offers taken and not yet answered, by path. */
    static final Map<String, CompletableFuture<UpgradeOffer>> pending = new ConcurrentHashMap<>();

    /** Made by ServiceLoader. */
    public EchoProvider() {
    }

    static CompletableFuture<EchoSession> session(String path) {
        return sessions.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    static CompletableFuture<UpgradeOffer> offer(String path) {
        return pending.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    @Override
    public String token() {
        return "echo";
    }

    @Override
    public boolean offer(UpgradeOffer offer) {
        String path = offer.head().target();
        if (path.equals("/decline")) {
            return false;
        }
        if (path.equals("/deny")) {
            offer.deny(403, Headers.of("content-type", "text/plain", "x-echo", "denied"),
                    Unpooled.copiedBuffer(DENIED, StandardCharsets.US_ASCII));
            return true;
        }
        if (path.startsWith("/later/")) {
            offer(path).complete(offer);
            return true;
        }
        accept(offer);
        return true;
    }

    /** Accepts with an echo session, as the provider does at once or a test does later. */
    static EchoSession accept(UpgradeOffer offer) {
        var session = new EchoSession(offer);
        session.start(offer.accept(Headers.of("x-echo", "ready"), session));
        session(offer.head().target()).complete(session);
        return session;
    }
}
