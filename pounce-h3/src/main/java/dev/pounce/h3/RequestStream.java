package dev.pounce.h3;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.UpgradeProvider;
import dev.pounce.spi.kit.HttpDate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersValidationException;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One client-initiated bidirectional stream: one request (RFC 9114 section 4.1). It sits last in the stream's
 * pipeline, after Netty's HTTP/3 frame codec and its validators, and turns the frames into an {@link H3Exchange} for
 * the bridge. Runs on the connection's event loop only.
 *
 * <p>Flow control is the app's: the stream does not read by itself ({@code autoRead} off). It reads while less than
 * {@link #READ_AHEAD} bytes of body wait for the app, and reads again as the app consumes them. QUIC credits the
 * client (MAX_STREAM_DATA) only for bytes read out of the stream, so a client can have at most its stream window in
 * flight plus what waits here, however slow the app.
 *
 * <p>The response's end is a FIN sent once its last frame is in QUIC's buffers (never with frames still queued). A
 * response that ends before the request did reads on: the request's FIN may be waiting unread; body bytes still
 * coming get STOP_SENDING H3_NO_ERROR (RFC 9114 section 4.1.1), which keeps the response valid for the client.
 */
final class RequestStream extends ChannelInboundHandlerAdapter {

    /** Body bytes that may wait for the app before the stream stops reading. */
    static final int READ_AHEAD = 64 * 1024;

    private static final Headers TEXT_PLAIN = Headers.of("content-type", "text/plain; charset=utf-8");

    /**
     * The methods served from 0-RTT (RFC 9110 section 9.2.1): a replay of one changes nothing. Idempotent is not
     * enough: a replayed PUT or DELETE lands again, possibly after a later change.
     */
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final QuicConnection connection;
    private final ServerConfig config;
    private final long maxBody;
    private final AsciiString server;

    private ChannelHandlerContext ctx;
    private QuicStreamChannel stream;
    private ConnectionContext context;
    private H3Exchange exchange;
    /** An extended CONNECT waiting for its provider's answer; the stream reads nothing meanwhile. */
    private ConnectOffer offer;
    /** The accepted extended CONNECT the stream carries from the loop's turn after the 200. */
    private StreamTunnel tunnel;
    private boolean opened;
    /** We answered (or refused) the request ourselves: what the client sends from now on is dropped. */
    private boolean answered;
    /** The client's side is over: FIN read, or we shut it. */
    private boolean inputDone;
    /** The FIN is queued behind the response's last frame. */
    private boolean ending;
    /** The response is over but the request is not: reading on to find its end, dropping what comes. */
    private boolean discarding;
    private boolean closed;
    /** A write failed: the stream is being torn down, and later failures of queued writes say nothing new. */
    private boolean failed;
    /**
     * The stream's latest write, or null before the first. Writes complete in order, so once it is done every frame
     * before it is in QUIC's buffers too.
     */
    private ChannelFuture lastWrite;
    private long bodyBytes;
    private long unconsumed;

    RequestStream(QuicConnection connection) {
        this.connection = connection;
        this.config = connection.config();
        this.maxBody = config.limits().maxRequestBodySize();
        this.server = config.serverHeader().isEmpty() ? null : AsciiString.cached(config.serverHeader());
    }

    // ---- Netty callbacks ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.stream = (QuicStreamChannel) ctx.channel();
        // Before the channel turns active, so it reads nothing the app has not room for.
        stream.config().setAutoRead(false);
        // Not now: this runs inside the stream's ChannelInitializer, which would take the first read's exceptions as
        // its own and close the stream. channelActive follows at once; this is for a stream that was active before.
        if (stream.isActive()) {
            ctx.executor().execute(this::open);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case Http3HeadersFrame headers -> {
                if (exchange == null && offer == null && tunnel == null && !answered) {
                    head(headers.headers());
                }
                // Otherwise trailers: the body ends with the FIN that follows them. The SPI has no place to hand
                // request trailers to the app, as on HTTP/2.
            }
            case Http3DataFrame data -> body(data.content());
            // Unknown and reserved frame types are skipped (RFC 9114 section 9).
            default -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readMore();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            clientEnded();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.streamWritabilityChanged();
        }
        if (tunnel != null) {
            tunnel.streamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Netty's validators have reset our side already for a malformed message (H3_MESSAGE_ERROR); a client's
        // reset arrives here as the stream's read failing.
        QuicConnection.LOG.debug("connection {} stream {}: {}", connection.id(), stream.streamId(), cause.toString());
        int code = switch (cause) {
            case Http3Exception h3 -> h3.errorCode().code();
            // A field Netty's decoder refused: the request is malformed (RFC 9114 section 4.1.2).
            case Http3HeadersValidationException invalid -> Http3ErrorCode.H3_MESSAGE_ERROR.code();
            default -> Http3ErrorCode.H3_REQUEST_CANCELLED.code();
        };
        if (exchange != null) {
            exchange.disconnect();
        }
        resetAndClose(code);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (exchange != null) {
            exchange.streamClosed();
        }
        if (tunnel != null) {
            tunnel.streamClosed();
        } else if (offer != null) {
            offer.streamClosed();
        }
        connection.streamClosed(this);
        ctx.fireChannelInactive();
    }

    // ---- the request ----

    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        if (!connection.streamOpened(this, stream.streamId())) {
            // At or past our GOAWAY: the client may retry it elsewhere (RFC 9114 section 5.2).
            answered = true;
            resetAndClose(Http3ErrorCode.H3_REQUEST_REJECTED.code());
            return;
        }
        readMore();
    }

    private void head(Http3Headers fields) {
        Optional<ConnectionContext> given = connection.context();
        if (given.isEmpty()) {
            answered = true;
            resetAndClose(Http3ErrorCode.H3_REQUEST_REJECTED.code());
            return;
        }
        context = given.get();
        RequestHeads.Parsed parsed;
        try {
            parsed = RequestHeads.parse(fields, config.limits().maxHeaders(), connection.extendedConnect());
        } catch (RequestHeads.Malformed e) {
            // RFC 9114 section 4.1.2: a malformed request is a stream error H3_MESSAGE_ERROR.
            QuicConnection.LOG.debug("connection {} stream {}: malformed request: {}", connection.id(),
                    stream.streamId(), e.getMessage());
            answered = true;
            resetAndClose(Http3ErrorCode.H3_MESSAGE_ERROR.code());
            return;
        } catch (RequestHeads.Refused e) {
            answer(e.status, e.getMessage());
            return;
        }
        RequestHead head = parsed.head();
        if (connection.inEarlyData()) {
            // RFC 8470 section 5.2: 0-RTT can be replayed, so a request that changes something waits for the
            // handshake; the client sends it again then. A safe one is served, and the app is told (section 5.1).
            if (!SAFE_METHODS.contains(head.method())) {
                answer(425, "sent in 0-RTT early data; send it again once the handshake is complete");
                return;
            }
            head = new RequestHead(head.method(), head.target(), head.version(),
                    head.headers().with("early-data", "1"));
        }
        if (parsed.protocol().isPresent()) {
            offer(head, parsed.protocol().get());
            return;
        }
        long declared = fields.getLong(HttpHeaderNames.CONTENT_LENGTH, -1L);
        if (maxBody > 0 && declared > maxBody) {
            answer(413, "request body larger than " + maxBody + " bytes");
            return;
        }
        var ex = new H3Exchange(this, stream.eventLoop(), head, context.info());
        exchange = ex;
        RequestBodySink sink;
        try {
            sink = context.bridge().serve(ex);
        } catch (RuntimeException e) {
            QuicConnection.LOG.warn("bridge failed to serve a request on connection {}", connection.id(), e);
            exchange = null;
            answered = true;
            resetAndClose(Http3ErrorCode.H3_INTERNAL_ERROR.code());
            return;
        }
        ex.attach(sink);
        if (inputDone) {
            ex.deliver(Unpooled.EMPTY_BUFFER, true);
        }
    }

    private void body(ByteBuf data) {
        int n = data.readableBytes();
        if (tunnel != null || offer != null) {
            if (n == 0) {
                data.release();
            } else {
                unconsumed += n;
                if (tunnel != null) {
                    tunnel.arrived(data);
                } else {
                    offer.arrived(data);
                }
            }
            return;
        }
        if (discarding && n > 0) {
            // A body is still coming after the response: ask the client to stop (RFC 9114 section 4.1.1).
            data.release();
            stopInput();
            return;
        }
        if (exchange == null || answered || n == 0) {
            data.release();
            return;
        }
        bodyBytes += n;
        if (maxBody > 0 && bodyBytes > maxBody) {
            data.release();
            failBody(413, "request body larger than " + maxBody + " bytes");
            return;
        }
        if (exchange.deliver(data, false)) {
            unconsumed += n;
        }
    }

    private void clientEnded() {
        inputDone = true;
        if (tunnel != null) {
            tunnel.clientEnded();
        } else if (offer != null) {
            offer.clientEnded();
        } else if (exchange != null) {
            exchange.deliver(Unpooled.EMPTY_BUFFER, true);
        } else if (!answered) {
            // RFC 9114 section 4.1.2: a stream that ends before a complete request is incomplete.
            answered = true;
            resetAndClose(Http3ErrorCode.H3_REQUEST_INCOMPLETE.code());
        }
    }

    /** Reads on while the app has room: before the head, and while less than {@link #READ_AHEAD} waits for it. */
    private void readMore() {
        if (closed || inputDone) {
            return;
        }
        if (discarding) {
            ctx.read();
            return;
        }
        if (answered || offer != null && tunnel == null) {
            return;
        }
        if (tunnel != null) {
            if (unconsumed < READ_AHEAD) {
                ctx.read();
            }
            return;
        }
        if (exchange == null || unconsumed < READ_AHEAD && !exchange.ended() && !exchange.disconnected()) {
            ctx.read();
        }
    }

    /**
     * Ends a request whose body broke a limit: the app is told; the client gets {@code status} and STOP_SENDING if
     * the response has not started, or the stream reset H3_REQUEST_CANCELLED if it has.
     */
    private void failBody(int status, String reason) {
        boolean canAnswer = !exchange.started();
        exchange.disconnect();
        if (canAnswer) {
            answer(status, reason);
        } else {
            QuicConnection.LOG.debug("connection {}: stream {} reset after the response started: {}",
                    connection.id(), stream.streamId(), reason);
            answered = true;
            resetAndClose(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
        }
    }

    /** Answers the request ourselves with a short text response, tells the bridge, and stops the client's sending. */
    private void answer(int status, String reason) {
        if (context != null) {
            context.bridge().rejected(context.info(), status, reason);
        }
        respond(status, TEXT_PLAIN, Unpooled.wrappedBuffer((reason + "\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    /**
     * Offers an extended CONNECT (RFC 9220) to the providers of its protocol, in load order, until one takes it;
     * {@code 501} naming the protocol if none does. The stream reads nothing until the answer.
     */
    private void offer(RequestHead head, String token) {
        var o = new ConnectOffer(this, head, context, token);
        offer = o;
        if (inputDone) {
            o.clientEnded();
        }
        for (UpgradeProvider provider : context.upgrades()) {
            if (provider.token().equals(token) && offerTo(provider, o)) {
                return;
            }
        }
        // Withdrawn first, so that an answer a provider sends after declining is refused.
        if (o.withdraw()) {
            o.streamClosed();
            answer(501, "extended CONNECT for protocol " + token + " is not supported");
        }
    }

    /** @return whether the provider took the offer; one that throws has it taken back, and the stream reset */
    private boolean offerTo(UpgradeProvider provider, ConnectOffer o) {
        try {
            // A provider that declines must leave the offer untouched; one that answered anyway has taken it.
            return provider.offer(o) || o.answered();
        } catch (RuntimeException e) {
            QuicConnection.LOG.warn("upgrade provider {} failed on an extended CONNECT on connection {}",
                    provider.getClass().getName(), connection.id(), e);
            if (o.withdraw()) {
                o.streamClosed();
                answered = true;
                resetAndClose(Http3ErrorCode.H3_INTERNAL_ERROR.code());
            }
            return true;
        }
    }

    // ---- for the exchange, the offer and the tunnel, on the event loop ----

    io.netty.channel.EventLoop eventLoop() {
        return stream.eventLoop();
    }

    /** @return whether the connection drains (said GOAWAY, or its worker drains) */
    boolean draining() {
        return connection.draining();
    }

    /** The connection said GOAWAY: a tunnel is told, so that its provider finishes. */
    void serverDraining() {
        if (tunnel != null) {
            tunnel.serverDraining();
        }
    }

    /**
     * Writes a whole response that no app gives (our own answers, a denied upgrade), with its length, {@code Date}
     * and {@code Server}; what the client sends after it is dropped.
     */
    void respond(int status, Headers headers, ByteBuf body) {
        answered = true;
        Http3Headers fields = ResponseFields.of(status, headers);
        // RFC 9110 sections 6.4.1 and 8.6: no content after 204 or 304; a 204 has no length either.
        boolean noBody = status == 204 || status == 304;
        if (status == 204) {
            fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (!noBody) {
            fields.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        addDateAndServer(fields);
        if (noBody || !body.isReadable()) {
            body.release();
            writeHeaders(fields, true);
        } else {
            writeHeadersBeforeData(fields);
            writeData(body, true);
        }
    }

    /** The provider accepted: {@code 200} without FIN (RFC 9220 section 3, by RFC 8441 section 5). */
    void acceptTunnel(Headers headers) {
        Http3Headers fields = ResponseFields.of(200, headers);
        // RFC 9110 section 9.3.6: a 2xx answer to CONNECT has no content, so no length either.
        fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        addDateAndServer(fields);
        writeHeaders(fields, false);
    }

    /** From now on the stream's bytes are the tunnel's, and it reads as the provider consumes them. */
    void becomeTunnel(StreamTunnel t) {
        tunnel = t;
        t.streamWritabilityChanged();
        readMore();
    }

    /** The app took {@code bytes} of body: room to read more. */
    void consumed(int bytes) {
        unconsumed = Math.max(0, unconsumed - bytes);
        readMore();
    }

    boolean isWritable() {
        return !closed && stream.isWritable();
    }

    void addDateAndServer(Http3Headers headers) {
        if (config.dateHeader() && !headers.contains(HttpHeaderNames.DATE)) {
            headers.add(HttpHeaderNames.DATE, HttpDate.value());
        }
        if (server != null && !headers.contains(HttpHeaderNames.SERVER)) {
            headers.add(HttpHeaderNames.SERVER, server);
        }
    }

    /**
     * Writes a HEADERS frame (a response head, an interim response or trailers).
     *
     * @param end whether the response ends with it
     */
    void writeHeaders(Http3Headers headers, boolean end) {
        writeHeaders(headers, end, true);
    }

    /**
     * Writes a response head that a non-empty DATA frame follows at once, unflushed: the DATA frame's flush sends
     * both, in one QUIC packet where they fit, where a flush each sent a datagram each.
     */
    void writeHeadersBeforeData(Http3Headers headers) {
        writeHeaders(headers, false, false);
    }

    private void writeHeaders(Http3Headers headers, boolean end, boolean flush) {
        if (closed || ending) {
            return;
        }
        var frame = new DefaultHttp3HeadersFrame(headers);
        ChannelFuture f = flush ? ctx.writeAndFlush(frame) : ctx.write(frame);
        f.addListener(this::written);
        lastWrite = f;
        if (end) {
            endAfter(f);
        }
    }

    /**
     * Writes a DATA frame; an empty one is not sent, but may still end the response, after the frames before it.
     *
     * @param data ownership passes
     * @param end  whether the response ends with it
     */
    void writeData(ByteBuf data, boolean end) {
        if (closed || ending) {
            data.release();
            return;
        }
        if (data.isReadable()) {
            ChannelFuture f = ctx.writeAndFlush(new DefaultHttp3DataFrame(data));
            f.addListener(this::written);
            lastWrite = f;
        } else {
            data.release();
        }
        if (end) {
            endAfter(lastWrite);
        }
    }

    /** Cuts the stream short both ways (RESET_STREAM and STOP_SENDING with {@code code}). */
    void reset(int code) {
        resetAndClose(code);
    }

    // ---- ending the stream ----

    /**
     * Sends the FIN once {@code last}, the stream's last write, is in QUIC's buffers (at once if null), and stops a
     * request body nobody will read. Never sooner: Netty's {@code shutdownOutput} hands the FIN to QUIC past the frames
     * still queued behind flow control, then closes the stream, and they fail (an empty last chunk sent at once cut
     * a 3 MiB echo short by up to 400 KB).
     */
    private void endAfter(ChannelFuture last) {
        ending = true;
        if (last == null || last.isDone()) {
            fin(last == null || last.isSuccess());
        } else {
            last.addListener(f -> fin(f.isSuccess()));
        }
    }

    private void fin(boolean lastWritten) {
        if (closed || !lastWritten) {
            return;
        }
        // The FIN. Netty closes the stream once both sides have ended.
        stream.shutdownOutput().addListener(f -> {
            // A tunnel's two directions end apart: the client's goes on after ours.
            if (!inputDone && !closed && tunnel == null) {
                // The request's end may already be here, unread (a GET's FIN comes with its HEADERS): read on, and
                // stop the client only if body bytes still come. STOP_SENDING before the FIN is read would make a
                // client that has just ended its request fail to, for nothing.
                discarding = true;
                readMore();
            }
        });
    }

    /** STOP_SENDING H3_NO_ERROR: the response is complete, the rest of the request is not wanted. */
    private void stopInput() {
        if (closed || inputDone) {
            return;
        }
        inputDone = true;
        stream.shutdownInput(Http3ErrorCode.H3_NO_ERROR.code());
        stream.close();
    }

    /** A write failed: the client stopped the stream (STOP_SENDING), reset it, or the connection went. */
    private void written(io.netty.util.concurrent.Future<? super Void> f) {
        if (!f.isSuccess() && !closed && !failed) {
            failed = true;
            QuicConnection.LOG.debug("connection {} stream {}: write failed: {}", connection.id(), stream.streamId(),
                    f.cause().toString());
            if (exchange != null) {
                exchange.disconnect();
            }
            resetAndClose(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
        }
    }

    private void resetAndClose(int code) {
        if (closed) {
            return;
        }
        ending = true;
        inputDone = true;
        stream.shutdown(code).addListener(f -> stream.close());
    }
}
