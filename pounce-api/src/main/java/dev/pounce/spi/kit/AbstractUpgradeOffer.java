package dev.pounce.spi.kit;

import dev.pounce.api.Headers;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of an {@link UpgradeOffer} that does not depend on the origin: exactly one answer from any thread, the
 * status rule of a denial, the hop to the event loop, and the cancel callbacks a provider registers. An origin
 * extends it with how it makes its tunnel and how it writes the two answers on the loop.
 *
 * @param <T> the origin's tunnel
 */
public abstract class AbstractUpgradeOffer<T extends AbstractTunnel> implements UpgradeOffer {

    private final EventLoop loop;
    private final String token;
    private final AtomicBoolean answered = new AtomicBoolean();

    // On the event loop.
    private boolean cancelled;
    private Runnable onCancel;

    /**
     * @param loop  the connection's event loop
     * @param token the token asked for, lower-case
     */
    protected AbstractUpgradeOffer(EventLoop loop, String token) {
        this.loop = loop;
        this.token = token;
    }

    @Override
    public final EventLoop eventLoop() {
        return loop;
    }

    @Override
    public final String token() {
        return token;
    }

    /** @throws IllegalStateException if the offer was already answered */
    @Override
    public final Tunnel accept(Headers headers, TunnelListener listener) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(listener, "listener");
        claim();
        T tunnel = newTunnel(listener);
        Loop.run(loop, () -> accepted(tunnel, headers), null);
        return tunnel;
    }

    /**
     * @throws IllegalArgumentException if the status is not 200 to 599
     * @throws IllegalStateException    if the offer was already answered
     */
    @Override
    public final void deny(int status, Headers headers, ByteBuf body) {
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
        Loop.run(loop, () -> denied(status, headers, body), body);
    }

    @Override
    public final void whenCancelled(Runnable callback) {
        Loop.run(loop, () -> {
            if (cancelled) {
                callback.run();
            } else if (!settled()) {
                Runnable before = onCancel;
                onCancel = before == null ? callback : () -> {
                    before.run();
                    callback.run();
                };
            }
        }, null);
    }

    // ---- the origin's part ----

    /**
     * Makes the tunnel an accept returns; called on the provider's thread, so it only builds the object.
     *
     * @param listener the provider's listener
     * @return the tunnel, not open yet
     */
    protected abstract T newTunnel(TunnelListener listener);

    /**
     * Writes the success response and hands the request over to the tunnel, then calls its {@code open()}; on the
     * event loop. If the client has gone, the tunnel is closed and opened instead.
     *
     * @param tunnel  the tunnel {@link #newTunnel} made
     * @param headers the provider's fields
     */
    protected abstract void accepted(T tunnel, Headers headers);

    /**
     * Writes the denial as an ordinary response; on the event loop. Drops it (and releases {@code body}) if the
     * client has gone.
     *
     * @param status  200 to 599
     * @param headers the response fields
     * @param body    the body; ownership passes
     */
    protected abstract void denied(int status, Headers headers, ByteBuf body);

    /** @return whether an answer has already been applied, so cancel callbacks would never run; false by default */
    protected boolean settled() {
        return false;
    }

    // ---- for the origin, on the event loop unless said ----

    /** @return whether accept or deny was called, on any thread */
    public final boolean answered() {
        return answered.get();
    }

    /**
     * Takes the offer back when no provider took it, or one failed, so that an answer a provider might still send
     * is refused. Any thread.
     *
     * @return true if it was not answered, and so is the origin's to answer now
     */
    public final boolean withdraw() {
        return answered.compareAndSet(false, true);
    }

    /** The client went away before the answer: the provider hears it once, and a later answer is dropped. */
    public final void cancel() {
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
