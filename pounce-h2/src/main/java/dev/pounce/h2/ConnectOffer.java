package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.kit.Loop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An extended CONNECT (RFC 8441) as offered to the {@link dev.pounce.spi.UpgradeProvider} whose token its
 * {@code :protocol} names. {@link ServerConnection} makes it on the event loop and keeps it as the stream's role
 * until the answer is applied. The provider answers from any thread; the answer hops to the event loop. Meanwhile
 * the stream's DATA is held here, its flow-control credit not returned, so the stream window bounds what a client
 * can send before the answer; and no request-body timer runs, since there is no request body.
 *
 * <p>Accepted: HEADERS {@code :status 200} with the provider's fields and no END_STREAM, then, on the loop's next
 * turn and never inside {@link #accept}, the stream becomes a {@link StreamTunnel} and hears what was held. Denied:
 * an ordinary response, then RST_STREAM NO_ERROR if the client is still sending.
 */
final class ConnectOffer implements UpgradeOffer, StreamRole.TunnelBytes {

    private final ServerConnection connection;
    private final Http2Stream stream;
    private final RequestHead head;
    private final String token;
    private final AtomicBoolean answered = new AtomicBoolean();

    // On the event loop.
    private List<ByteBuf> held = new ArrayList<>(2);
    private boolean clientEnded;
    private boolean applied;
    private boolean gone;
    private boolean cancelled;
    private Runnable onCancel;

    /**
     * @param token the {@code :protocol} asked for, lower-case
     */
    ConnectOffer(ServerConnection connection, Http2Stream stream, RequestHead head, String token) {
        this.connection = connection;
        this.stream = stream;
        this.head = head;
        this.token = token;
    }

    /** @return {@code CONNECT}, {@code :path} as the target, version {@code 2}, {@code :authority} as {@code host} */
    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public ConnectionContext context() {
        return connection.context();
    }

    @Override
    public EventLoop eventLoop() {
        return connection.ctx().channel().eventLoop();
    }

    /** @throws IllegalStateException if the offer was already answered */
    @Override
    public Tunnel accept(Headers headers, TunnelListener listener) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(listener, "listener");
        claim();
        var tunnel = new StreamTunnel(connection, stream, listener);
        Loop.run(eventLoop(), () -> accepted(tunnel, headers), null);
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
        Loop.run(eventLoop(), () -> denied(status, headers, body), body);
    }

    @Override
    public void whenCancelled(Runnable callback) {
        Loop.run(eventLoop(), () -> {
            if (cancelled) {
                callback.run();
            } else if (!applied) {
                Runnable before = onCancel;
                onCancel = before == null ? callback : () -> {
                    before.run();
                    callback.run();
                };
            }
        }, null);
    }

    // ---- for the connection, on the event loop ----

    /** @return whether accept or deny was called, on any thread */
    boolean answered() {
        return answered.get();
    }

    /**
     * Takes the offer back when no provider took it, or one failed, so that an answer a provider might still send
     * is refused.
     *
     * @return true if it was not answered, and so is the connection's to answer now
     */
    boolean withdraw() {
        return answered.compareAndSet(false, true);
    }

    /** Held until the tunnel exists, its credit not returned. */
    @Override
    public void arrived(ByteBuf data) {
        if (held == null) {
            data.release();
        } else {
            held.add(data);
        }
    }

    @Override
    public void clientEnded() {
        clientEnded = true;
    }

    /**
     * The stream closed: the client reset it or the connection went. Before the answer reached the loop, the
     * provider's cancel callbacks run and a later answer is dropped; after an accept, the tunnel hears of it.
     */
    void streamClosed() {
        gone = true;
        if (applied) {
            return;
        }
        cancelled = true;
        release();
        Runnable callbacks = onCancel;
        onCancel = null;
        if (callbacks != null) {
            callbacks.run();
        }
    }

    // ---- the answers, on the event loop ----

    private void accepted(StreamTunnel tunnel, Headers headers) {
        applied = true;
        if (gone) {
            release();
            nextTurn(tunnel::streamClosed);
            return;
        }
        Http2Headers fields = ResponseFields.of(200, headers);
        // RFC 9110 section 9.3.6: a 2xx answer to CONNECT has no content, so no length either.
        fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        connection.addDateAndServer(fields);
        connection.writeHeaders(stream, fields, false);
        connection.scheduleFlush();
        tunnel.refreshWritable();
        nextTurn(() -> open(tunnel));
    }

    /** The loop's turn after the 200: the stream is the tunnel's from now on, and it hears what came before. */
    private void open(StreamTunnel tunnel) {
        stream.setProperty(connection.roleKey(), tunnel);
        // The flow controller's reports went to the offer until now.
        tunnel.streamWritabilityChanged();
        List<ByteBuf> early = held;
        held = null;
        if (early != null) {
            early.forEach(tunnel::arrived);
        }
        if (clientEnded) {
            tunnel.clientEnded();
        }
        if (connection.isDraining()) {
            tunnel.serverDraining();
        }
        if (gone) {
            tunnel.streamClosed();
        }
    }

    private void denied(int status, Headers headers, ByteBuf body) {
        applied = true;
        // The held bytes' credit comes back when the stream closes, as the response or the reset after it does.
        release();
        if (gone) {
            body.release();
            return;
        }
        connection.respond(stream, status, headers, body);
    }

    private void nextTurn(Runnable task) {
        try {
            eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The worker is gone, and the connection with it.
            release();
        }
    }

    private void release() {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
    }

    private void claim() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("the extended CONNECT offer for " + token + " was already answered");
        }
    }
}
