package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.kit.Loop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP/1.1 request with {@code Connection: upgrade} for an {@link dev.pounce.spi.UpgradeProvider}'s token,
 * offered on the event loop by {@link Http1Connection} (RFC 9110 section 7.8). The provider answers from any thread;
 * each answer hops to the loop, where the connection applies it unless the client has gone.
 */
final class Http1UpgradeOffer implements UpgradeOffer {

    private final Http1Connection connection;
    private final Channel channel;
    private final ConnectionContext context;
    private final ParsedRequest request;
    private final String token;
    private final AtomicBoolean answered = new AtomicBoolean();

    // On the event loop.
    private boolean cancelled;
    private Runnable onCancel;

    Http1UpgradeOffer(Http1Connection connection, ParsedRequest request, String token) {
        this.connection = connection;
        this.channel = connection.channel();
        this.context = connection.context();
        this.request = request;
        this.token = token;
    }

    @Override
    public RequestHead head() {
        return request.head();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public ConnectionContext context() {
        return context;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** @throws IllegalStateException if the offer was already answered */
    @Override
    public Tunnel accept(Headers headers, TunnelListener listener) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(listener, "listener");
        claim();
        var tunnel = new Http1Tunnel(context.info(), channel, listener);
        Loop.run(eventLoop(), () -> connection.accepted(this, tunnel, headers), null);
        return tunnel;
    }

    /**
     * @throws IllegalArgumentException if the status is not 200 to 599
     * @throws IllegalStateException    if the offer was already answered
     */
    @Override
    public void deny(int status, Headers headers, ByteBuf body) {
        if (status < 200 || status > 599) {
            body.release();
            throw new IllegalArgumentException("an upgrade is denied with 200 to 599, not " + status);
        }
        try {
            claim();
        } catch (IllegalStateException e) {
            body.release();
            throw e;
        }
        Loop.run(eventLoop(), () -> connection.denied(this, status, headers, body), body);
    }

    @Override
    public void whenCancelled(Runnable callback) {
        Loop.run(eventLoop(), () -> {
            if (cancelled) {
                callback.run();
            } else {
                Runnable before = onCancel;
                onCancel = before == null ? callback : () -> {
                    before.run();
                    callback.run();
                };
            }
        }, null);
    }

    // ---- for the connection, on the event loop ----

    /** @return the request as parsed */
    ParsedRequest request() {
        return request;
    }

    /** @return whether accept or deny was called, on any thread */
    boolean answered() {
        return answered.get();
    }

    /** The client went away before the answer: the provider hears it once, and a later answer is dropped. */
    void cancel() {
        cancelled = true;
        Runnable callbacks = onCancel;
        onCancel = null;
        if (callbacks != null) {
            callbacks.run();
        }
    }

    private void claim() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("the upgrade offer for " + token + " was already answered");
        }
    }
}
