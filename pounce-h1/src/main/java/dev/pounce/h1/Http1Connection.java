package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionEvent;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 state machine of one connection: reads heads and bodies, hands each request to the bridge (or an
 * upgrade to the takeover or provider that asks for it), keeps the connection alive between requests, and enforces
 * the limits and timeouts. Runs on the connection's event loop only.
 *
 * <p>One request at a time: a request is dispatched only when the previous response has ended and its body has
 * been read, so pipelined requests (RFC 9112 section 9.3.2) wait in the buffer and are answered in order.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {

    static final Logger LOG = LoggerFactory.getLogger("pounce.h1");

    /** Delivered request body the app has not consumed yet before the socket stops being read. */
    static final int BODY_CREDIT = 64 * 1024;

    /** Bytes buffered behind a request in progress (pipelined requests) before the socket stops being read. */
    static final int PIPELINE_BUFFER = 64 * 1024;

    /** Unread request body we read and drop after a response, to keep the connection; more and we close it. */
    static final long DISCARD_LIMIT = 64 * 1024;

    /** How long a closing connection keeps reading (and dropping) input after its last response. */
    static final long LINGER_MILLIS = 2000;

    /**
     * HEAD: reading a head, or holding pipelined bytes while a response is in flight; BODY: reading a body;
     * OFFERED: an upgrade provider has the request and the connection waits for its answer; CLOSING; DETACHED:
     * another protocol or a tunnel has the connection.
     */
    private enum State { HEAD, BODY, OFFERED, CLOSING, DETACHED }

    private enum Timer { NONE, IDLE, HEADER, BODY }

    /** The longest an idle connection stays open once its worker drains (shorter if the keep-alive timeout is). */
    static final Duration DRAIN_GRACE = Duration.ofMillis(500);

    private final ConnectionContext context;
    private final ServerConfig config;
    private final HeadParser parser;
    private final Runnable timerTask = this::onTimer;

    private ChannelHandlerContext ctx;
    private ByteBuf received;
    private State state = State.HEAD;
    private int served;
    private boolean drain;
    private boolean inputEnded;
    private boolean lingering;
    private boolean processing;
    private boolean again;

    // The request being served, from its head until both its body is read and its response has ended; or the
    // upgrade offer waiting for its answer.
    private Http1Exchange exchange;
    private Http1UpgradeOffer offer;
    private ParsedRequest request;
    private ChunkedDecoder chunked;
    private long bodyRemaining;
    private boolean bodyComplete;
    private long discarded;
    private long unconsumed;
    private boolean bodyPaused;
    private boolean pipelinePaused;

    // One scheduled check serves every timeout; moving a deadline later costs no rescheduling.
    private Timer timer = Timer.NONE;
    private long deadline;
    private ScheduledFuture<?> check;
    private long checkAt;

    Http1Connection(ConnectionContext context) {
        this.context = context;
        this.config = context.config();
        this.parser = new HeadParser(config.limits(), !context.info().secure());
    }

    // ---- Netty callbacks ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Until the first request the header timeout covers the wait for its first byte too.
        arm(Timer.HEADER, config.timeouts().header());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        releaseReceived();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || state == State.CLOSING || state == State.DETACHED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        cumulate(buf);
        if (timer == Timer.BODY) {
            deadline = now() + config.timeouts().requestBody().toNanos();
        }
        process();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.OFFERED) {
            LOG.trace("connection {} closed before its upgrade was answered", info().id());
            offer.cancel();
            offer = null;
        }
        if (state != State.DETACHED) {
            state = State.CLOSING;
        }
        cancelTimer();
        releaseReceived();
        // An app whose response has ended and whose body was all delivered waits for nothing: it is not told.
        if (exchange != null && !(exchange.ended() && exchange.bodyComplete())) {
            LOG.trace("connection {} closed with a request in flight", info().id());
            exchange.disconnect();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown();
        } else if (evt == ConnectionEvent.DRAIN) {
            drain = true;
            // A busy connection says Connection: close on its response and closes after it. An idle kept-alive
            // one waits a moment first: a request the client already sent on it is served (with Connection: close)
            // instead of being cut by a close that crosses it, which the client could not tell from a failure.
            // A fresh connection keeps its header timer: its client connected to send a request, and on a loaded
            // machine that request may take longer than the grace to arrive.
            if (served > 0 && exchange == null && state == State.HEAD && nothingBuffered()) {
                arm(Timer.IDLE, drainGrace());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // A client that resets or drops its connection is normal traffic, not an error.
            LOG.debug("connection {} failed: {}", info().id(), cause.toString());
        } else {
            LOG.warn("connection {} failed", info().id(), cause);
        }
        ctx.close();
    }

    // The client shut its side of the connection (a TCP FIN; we allow half-closure). Clients do so once they have
    // sent their last request (nc -N, scripts, health checks) and still read the answers: what it sent whole is
    // served, in order, then the connection closes. The app is told only of what can never complete.
    private void inputShutdown() {
        inputEnded = true;
        switch (state) {
            case HEAD -> {
                if (exchange == null) {
                    // Idle, or a partial head that will never be completed.
                    closeGracefully();
                }
                // Otherwise a response is on its way; readHead closes once the pipelined requests are answered.
            }
            case BODY -> {
                LOG.trace("connection {} ended its side before its request body was complete", info().id());
                exchange.disconnect();
                closeGracefully();
            }
            case CLOSING -> {
                if (lingering) {
                    ctx.close();
                }
            }
            // The answer decides: a tunnel hears the client ended, a denial's response is the last.
            case OFFERED, DETACHED -> { }
        }
    }

    // ---- reading requests ----

    private void process() {
        if (processing) {
            again = true;
            return;
        }
        processing = true;
        try {
            do {
                again = false;
                step();
            } while (again);
        } finally {
            processing = false;
        }
        compactReceived();
    }

    private void step() {
        while (true) {
            switch (state) {
                case CLOSING, DETACHED -> {
                    if (received != null) {
                        received.skipBytes(received.readableBytes());
                    }
                    return;
                }
                case HEAD -> {
                    if (!readHead()) {
                        return;
                    }
                }
                case BODY -> {
                    if (!readBody()) {
                        return;
                    }
                }
                case OFFERED -> {
                    holdPipelined();
                    return;
                }
            }
        }
    }

    // Returns true when a request was dispatched and the loop should go on.
    private boolean readHead() {
        if (exchange != null) {
            holdPipelined();
            return false;
        }
        if (nothingBuffered()) {
            if (inputEnded) {
                closeGracefully();
                return false;
            }
            Timer waiting = served == 0 ? Timer.HEADER : Timer.IDLE;
            if (timer != waiting) {
                arm(waiting, waiting == Timer.HEADER ? config.timeouts().header()
                        : drain || context.draining() ? drainGrace() : config.timeouts().keepAlive());
            }
            return false;
        }
        if (timer != Timer.HEADER) {
            arm(Timer.HEADER, config.timeouts().header());
        }
        ParsedRequest parsed;
        try {
            parsed = parser.parse(received);
        } catch (RequestRejected e) {
            reject(e.status(), e.reason());
            return false;
        }
        if (parsed == null) {
            if (inputEnded) {
                // The rest of this head will never come.
                closeGracefully();
            }
            return false;
        }
        disarm();
        return dispatch(parsed);
    }

    // A request is in progress (a response, or an upgrade's answer): keep pipelined bytes, within a bound.
    private void holdPipelined() {
        if (received != null && received.readableBytes() > PIPELINE_BUFFER && !pipelinePaused) {
            pipelinePaused = true;
            updateReading();
        }
    }

    private boolean dispatch(ParsedRequest parsed) {
        if (offerUpgrade(parsed)) {
            // Taken: the loop goes on in whatever state the taker left (waiting, answered, handed over, closing).
            return true;
        }
        Http1Exchange ex = begin(parsed);
        RequestBodySink sink;
        try {
            sink = context.bridge().serve(ex);
        } catch (RuntimeException e) {
            LOG.warn("bridge failed to serve a request on connection {}", info().id(), e);
            closeNow();
            return false;
        }
        ex.attach(sink);
        if (state != State.HEAD) {
            return false;
        }
        if (bodyComplete) {
            ex.deliver(Unpooled.EMPTY_BUFFER, true);
            return state == State.HEAD;
        }
        state = State.BODY;
        armBodyTimer();
        return true;
    }

    // The request from its head on, as the exchange the app or a denied upgrade answers.
    private Http1Exchange begin(ParsedRequest parsed) {
        served++;
        request = parsed;
        bodyComplete = !parsed.hasBody();
        chunked = parsed.chunked()
                ? new ChunkedDecoder(config.limits().maxRequestBodySize(), config.limits().maxHeaderSize()) : null;
        bodyRemaining = Math.max(0, parsed.contentLength());
        discarded = 0;
        unconsumed = 0;
        exchange = new Http1Exchange(this, parsed, ctx.channel().eventLoop());
        return exchange;
    }

    // RFC 9110 section 7.8. Only a request without a body, so no bytes of it are left for the new protocol, and not
    // from a client that has ended its side, which could not speak the new protocol. The tokens are tried in the
    // client's order of preference, each first by the takeovers and then by the upgrade providers that answer it.
    // Returns true when one took the request, or failed and the connection is closing.
    private boolean offerUpgrade(ParsedRequest parsed) {
        if (!parsed.connectionUpgrade() || !parsed.http11() || parsed.hasBody() || inputEnded) {
            return false;
        }
        for (String token : parsed.upgrades()) {
            for (ConnectionTakeover takeover : context.takeovers()) {
                if (takeover.token().equalsIgnoreCase(token) && offerTakeover(takeover, parsed)) {
                    return true;
                }
            }
            for (UpgradeProvider provider : context.upgrades()) {
                if (provider.token().equalsIgnoreCase(token) && offerToProvider(provider, parsed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean offerTakeover(ConnectionTakeover takeover, ParsedRequest parsed) {
        var upgrade = new Http1Takeover(this, parsed.head());
        boolean taken;
        try {
            taken = takeover.takeOver(upgrade);
        } catch (RuntimeException e) {
            LOG.warn("connection takeover {} failed on connection {}", takeover.token(), info().id(), e);
            closeNow();
            return true;
        }
        if (taken && !upgrade.detached()) {
            ByteBuf rest = upgrade.detach();
            if (rest.isReadable()) {
                ctx.channel().pipeline().fireChannelRead(rest);
            } else {
                rest.release();
            }
        }
        return taken;
    }

    private boolean offerToProvider(UpgradeProvider provider, ParsedRequest parsed) {
        var candidate = new Http1UpgradeOffer(this, parsed, provider.token());
        // Waiting before the provider sees it: it may answer before it returns.
        state = State.OFFERED;
        offer = candidate;
        boolean taken;
        try {
            taken = provider.offer(candidate);
        } catch (RuntimeException e) {
            LOG.warn("upgrade provider {} failed on connection {}", provider.token(), info().id(), e);
            offer = null;
            candidate.cancel();
            closeNow();
            return true;
        }
        // A provider that answered and then said no has taken the offer all the same.
        if (taken || candidate.answered()) {
            return true;
        }
        offer = null;
        state = State.HEAD;
        return false;
    }

    // Returns true when the body is complete and the loop should go on.
    private boolean readBody() {
        Http1Exchange ex = exchange;
        while (received != null) {
            ByteBuf data;
            boolean last;
            if (chunked != null) {
                try {
                    data = chunked.next(received);
                } catch (RequestRejected e) {
                    bodyFailed(e.status(), e.reason());
                    return false;
                }
                if (data == null) {
                    if (!chunked.done()) {
                        return false;
                    }
                    data = Unpooled.EMPTY_BUFFER;
                    last = true;
                } else {
                    last = false;
                }
            } else {
                int n = (int) Math.min(bodyRemaining, received.readableBytes());
                if (n == 0) {
                    return false;
                }
                data = received.readRetainedSlice(n);
                bodyRemaining -= n;
                last = bodyRemaining == 0;
            }
            int n = data.readableBytes();
            if (last) {
                bodyComplete = true;
                state = State.HEAD;
                disarm();
            }
            if (ex.deliver(data, last)) {
                unconsumed += n;
            } else if (ex.ended() && (discarded += n) > DISCARD_LIMIT) {
                closeGracefully();
                return false;
            }
            if (last) {
                // The sink may have ended the response inline, and moved on already.
                if (ex.ended() && exchange == ex && state == State.HEAD) {
                    nextRequest();
                }
                return state == State.HEAD;
            }
            if (unconsumed > BODY_CREDIT && !bodyPaused) {
                // Flow control: the app is behind; stop reading until it catches up (see consumed).
                bodyPaused = true;
                updateReading();
                armBodyTimer();
            }
        }
        return false;
    }

    private void bodyFailed(int status, String reason) {
        Http1Exchange ex = exchange;
        boolean answer = !ex.started();
        ex.disconnect();
        if (answer) {
            reject(status, reason);
        } else {
            LOG.debug("closing connection {}: {}", info().id(), reason);
            closeNow();
        }
    }

    // ---- called by the exchange, on the event loop ----

    ConnectionContext context() {
        return context;
    }

    ConnectionInfo info() {
        return context.info();
    }

    ServerConfig config() {
        return config;
    }

    Channel channel() {
        return ctx.channel();
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    void write(ByteBuf buf) {
        ctx.write(buf, ctx.voidPromise());
    }

    void writeAndFlush(ByteBuf buf) {
        ctx.writeAndFlush(buf, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    /** Writes a file region, which the transport sends with {@code sendfile} (epoll) or {@code transferTo} (NIO). */
    void writeAndFlush(FileRegion region) {
        ctx.writeAndFlush(region, ctx.voidPromise());
    }

    /**
     * Whether the response now starting may leave the connection open: not when draining, not at the
     * per-connection request limit, not when a client that waits for 100 Continue never got it and so never
     * sent its body (RFC 9110 section 10.1.1), and not when the client has ended its side with nothing after this
     * request.
     */
    boolean mayKeepAlive(Http1Exchange ex) {
        int max = config.limits().maxRequestsPerConnection();
        return ex == exchange && state != State.CLOSING && request.keepAlive() && !drain && !context.draining()
                && (max == 0 || served < max)
                && !(request.expectContinue() && !ex.continueSent() && !bodyComplete)
                && !(inputEnded && nothingBuffered());
    }

    void bodyRequested(Http1Exchange ex) {
        if (ex != exchange || state != State.BODY || !request.expectContinue() || ex.continueSent() || ex.started()) {
            return;
        }
        ex.continueSent(true);
        writeAndFlush(Unpooled.wrappedBuffer(ResponseEncoder.CONTINUE));
        armBodyTimer();
    }

    void consumed(Http1Exchange ex, int bytes) {
        if (ex != exchange) {
            return;
        }
        unconsumed -= bytes;
        if (bodyPaused && unconsumed <= BODY_CREDIT) {
            bodyPaused = false;
            updateReading();
            armBodyTimer();
        }
    }

    void responseEnded(Http1Exchange ex, boolean keepAlive) {
        if (ex != exchange || state == State.CLOSING || state == State.DETACHED) {
            return;
        }
        if (!keepAlive) {
            closeGracefully();
            return;
        }
        if (!bodyComplete) {
            // The app answered without reading the whole body. Read and drop a little of it to keep the
            // connection; a client that waits for 100 Continue will not send it at all, so close then.
            if (request.expectContinue() && !ex.continueSent()
                    || chunked == null && bodyRemaining > DISCARD_LIMIT) {
                closeGracefully();
                return;
            }
            bodyPaused = false;
            updateReading();
            armBodyTimer();
            return;
        }
        nextRequest();
    }

    /**
     * An upgrade provider accepted: the {@code 101} goes out, HTTP/1.1 leaves the pipeline and the tunnel takes
     * the connection. If the client left first, the tunnel reports itself closed.
     */
    void accepted(Http1UpgradeOffer answered, Http1Tunnel tunnel, Headers headers) {
        if (answered != offer || state != State.OFFERED) {
            // The client left first: the listener hears onOpen, then at once onClosed (the kit orders the two).
            tunnel.closed();
            tunnel.open();
            return;
        }
        offer = null;
        ctx.writeAndFlush(ResponseEncoder.switchingProtocols(ctx.alloc(), answered.token(), headers),
                ctx.voidPromise());
        boolean ended = inputEnded;
        boolean draining = drain || context.draining();
        tunnel.open(detach(), ended, draining);
    }

    /**
     * An upgrade provider denied: its response goes out as any response does, then the connection goes on with the
     * next request or closes, by the usual rules. Dropped if the client left first.
     */
    void denied(Http1UpgradeOffer answered, int status, Headers headers, ByteBuf body) {
        if (answered != offer || state != State.OFFERED) {
            body.release();
            return;
        }
        offer = null;
        state = State.HEAD;
        begin(answered.request()).start(status, headers, body, true);
    }

    void abort(Http1Exchange ex) {
        if (ex == exchange) {
            closeNow();
        }
    }

    ByteBuf detach() {
        state = State.DETACHED;
        cancelTimer();
        ByteBuf rest = received;
        received = null;
        if (rest == null || !rest.isReadable()) {
            if (rest != null) {
                rest.release();
            }
            rest = Unpooled.EMPTY_BUFFER;
        }
        if (bodyPaused || pipelinePaused) {
            bodyPaused = pipelinePaused = false;
            ctx.channel().config().setAutoRead(true);
        }
        ctx.pipeline().remove(this);
        return rest;
    }

    // ---- between requests ----

    private void nextRequest() {
        exchange = null;
        request = null;
        chunked = null;
        unconsumed = 0;
        state = State.HEAD;
        if (bodyPaused || pipelinePaused) {
            bodyPaused = pipelinePaused = false;
            updateReading();
        }
        process();
    }

    private void reject(int status, String reason) {
        LOG.debug("rejected a request on connection {}: {} {}", info().id(), status, reason);
        state = State.CLOSING;
        disarm();
        Headers fromBridge = context.bridge().rejected(info(), status, reason);
        ctx.write(ResponseEncoder.errorResponse(ctx.alloc(), status, reason, config.dateHeader(),
                config.serverHeader(), fromBridge), ctx.voidPromise());
        closeGracefully();
    }

    // Closes once every queued write is out. On a plain socket the output is shut first and input is read and
    // dropped for a moment, until the client ends its side too: closing a socket with unread input makes the
    // kernel send RST, which can destroy the response before the client reads it (RFC 9112 section 9.6,
    // "tear-down"). A client that has already ended its side sends nothing more, so there is nothing to wait for.
    private void closeGracefully() {
        state = State.CLOSING;
        disarm();
        releaseReceived();
        Channel channel = ctx.channel();
        if (inputEnded || !(channel instanceof DuplexChannel duplex) || context.info().secure()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!f.isSuccess() || !channel.isActive() || inputEnded) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            lingering = true;
            channel.config().setAutoRead(true);
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    private void closeNow() {
        state = State.CLOSING;
        disarm();
        releaseReceived();
        ctx.close();
    }

    private void updateReading() {
        boolean read = !bodyPaused && !pipelinePaused;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    // ---- the received bytes ----

    private void cumulate(ByteBuf in) {
        if (received == null) {
            received = in;
            return;
        }
        try {
            int required = in.readableBytes();
            // As Netty's MERGE_CUMULATOR: body slices handed to the app share this buffer, so it is never
            // compacted or grown in place while they live; a copy is made instead.
            if (required > received.maxWritableBytes()
                    || required > received.maxFastWritableBytes() && received.refCnt() > 1
                    || received.isReadOnly()) {
                ByteBuf bigger = ctx.alloc().buffer(received.readableBytes() + required);
                bigger.writeBytes(received);
                received.release();
                received = bigger;
            }
            received.writeBytes(in);
        } finally {
            in.release();
        }
    }

    private void compactReceived() {
        if (received == null) {
            return;
        }
        if (!received.isReadable()) {
            if (!parser.inProgress()) {
                releaseReceived();
            }
        } else if (received.refCnt() == 1) {
            received.discardSomeReadBytes();
        }
    }

    private boolean nothingBuffered() {
        return received == null || !received.isReadable();
    }

    private void releaseReceived() {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    // ---- timeouts ----

    private void armBodyTimer() {
        boolean waitsForClient = state == State.BODY && !bodyPaused
                && !(request.expectContinue() && !exchange.continueSent());
        if (waitsForClient) {
            arm(Timer.BODY, config.timeouts().requestBody());
        } else if (timer == Timer.BODY) {
            disarm();
        }
    }

    private Duration drainGrace() {
        Duration keepAlive = config.timeouts().keepAlive();
        return keepAlive.compareTo(DRAIN_GRACE) < 0 ? keepAlive : DRAIN_GRACE;
    }

    private void arm(Timer kind, Duration timeout) {
        timer = kind;
        long now = now();
        deadline = now + timeout.toNanos();
        if (check == null || checkAt > deadline) {
            if (check != null) {
                check.cancel(false);
            }
            checkAt = deadline;
            check = ctx.executor().schedule(timerTask, deadline - now, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        timer = Timer.NONE;
    }

    private void cancelTimer() {
        timer = Timer.NONE;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void onTimer() {
        check = null;
        if (timer == Timer.NONE || state == State.CLOSING || state == State.DETACHED) {
            return;
        }
        long now = now();
        if (now < deadline) {
            checkAt = deadline;
            check = ctx.executor().schedule(timerTask, deadline - now, TimeUnit.NANOSECONDS);
            return;
        }
        Timer fired = timer;
        timer = Timer.NONE;
        switch (fired) {
            case IDLE -> {
                LOG.trace("connection {} idle for {}, closing", info().id(), config.timeouts().keepAlive());
                closeNow();
            }
            case HEADER -> {
                if (parser.inProgress() || received != null && received.isReadable()) {
                    // Slowloris: a head that never completes.
                    reject(408, "request head timeout");
                } else {
                    closeNow();
                }
            }
            case BODY -> bodyFailed(408, "request body timeout");
            case NONE -> { }
        }
    }
}
