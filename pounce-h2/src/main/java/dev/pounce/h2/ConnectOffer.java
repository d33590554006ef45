package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractUpgradeOffer;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

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
final class ConnectOffer extends AbstractUpgradeOffer<StreamTunnel> implements StreamRole.TunnelBytes {

    private final ServerConnection connection;
    private final Http2Stream stream;
    private final RequestHead head;

    // On the event loop.
    private List<ByteBuf> held = new ArrayList<>(2);
    private boolean clientEnded;
    private boolean applied;
    private boolean gone;

    /**
     * @param token the {@code :protocol} asked for, lower-case
     */
    ConnectOffer(ServerConnection connection, Http2Stream stream, RequestHead head, String token) {
        super(connection.ctx().channel().eventLoop(), token);
        this.connection = connection;
        this.stream = stream;
        this.head = head;
    }

    /** @return {@code CONNECT}, {@code :path} as the target, version {@code 2}, {@code :authority} as {@code host} */
    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public ConnectionContext context() {
        return connection.context();
    }

    @Override
    protected StreamTunnel newTunnel(TunnelListener listener) {
        return new StreamTunnel(connection, stream, listener);
    }

    @Override
    protected boolean settled() {
        return applied;
    }

    // ---- for the connection, on the event loop ----

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
        release();
        cancel();
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
        // The listener hears onOpen on the next turn, then what was reported above, in order.
        tunnel.open();
    }

    @Override
    protected void denied(int status, Headers headers, ByteBuf body) {
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
}
