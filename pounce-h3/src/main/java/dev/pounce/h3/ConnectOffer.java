package dev.pounce.h3;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractUpgradeOffer;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * An extended CONNECT over HTTP/3 (RFC 9220) as offered to the {@link dev.pounce.spi.UpgradeProvider} whose token
 * its {@code :protocol} names. {@link RequestStream} makes it on the event loop and stops reading the stream until
 * the answer is applied, so the stream window bounds what a client sends first; bytes that came in the same read as
 * the head are held here. The provider answers from any thread; the answer hops to the event loop.
 *
 * <p>Accepted: HEADERS {@code :status 200} with the provider's fields and no FIN, then, on the loop's next turn and
 * never inside {@link #accept}, the stream becomes a {@link StreamTunnel} and hears what was held. Denied: an
 * ordinary response, as any.
 */
final class ConnectOffer extends AbstractUpgradeOffer<StreamTunnel> {

    private final RequestStream stream;
    private final RequestHead head;
    private final ConnectionContext context;

    // On the event loop.
    private List<ByteBuf> held = new ArrayList<>(2);
    private boolean clientEnded;
    private boolean applied;
    private boolean gone;

    /** @param token the {@code :protocol} asked for, lower-case */
    ConnectOffer(RequestStream stream, RequestHead head, ConnectionContext context, String token) {
        super(stream.eventLoop(), token);
        this.stream = stream;
        this.head = head;
        this.context = context;
    }

    /** @return {@code CONNECT}, {@code :path} as the target, version {@code 3}, {@code :authority} as {@code host} */
    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public ConnectionContext context() {
        return context;
    }

    @Override
    protected StreamTunnel newTunnel(TunnelListener listener) {
        return new StreamTunnel(stream, context.info(), listener);
    }

    @Override
    protected boolean settled() {
        return applied;
    }

    // ---- for the stream, on the event loop ----

    /** Held until the tunnel exists. */
    void arrived(ByteBuf data) {
        if (held == null) {
            data.release();
        } else {
            held.add(data);
        }
    }

    void clientEnded() {
        clientEnded = true;
    }

    /**
     * The stream closed: the client reset it or the connection went. Before the answer reached the loop, the
     * provider's cancel callbacks run and a later answer is dropped; after an accept, the tunnel hears of it.
     */
    void streamClosed() {
        gone = true;
        if (!applied) {
            release();
            cancel();
        }
    }

    // ---- the answers, on the event loop ----

    @Override
    protected void accepted(StreamTunnel tunnel, Headers headers) {
        applied = true;
        if (gone) {
            release();
            // The listener hears onOpen, then at once onClosed (the kit orders the two).
            nextTurn(() -> {
                tunnel.streamClosed();
                tunnel.open();
            });
            return;
        }
        stream.acceptTunnel(headers);
        tunnel.refreshWritable();
        nextTurn(() -> open(tunnel));
    }

    /** The loop's turn after the 200: the stream is the tunnel's from now on, and it hears what came before. */
    private void open(StreamTunnel tunnel) {
        List<ByteBuf> early = held;
        held = null;
        stream.becomeTunnel(tunnel);
        if (early != null) {
            early.forEach(tunnel::arrived);
        }
        if (clientEnded) {
            tunnel.clientEnded();
        }
        if (stream.draining()) {
            tunnel.serverDraining();
        }
        if (gone) {
            tunnel.streamClosed();
        }
        tunnel.open();
    }

    @Override
    protected void denied(int status, Headers headers, ByteBuf body) {
        applied = true;
        release();
        if (gone) {
            body.release();
            return;
        }
        stream.respond(status, headers, body);
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
}
