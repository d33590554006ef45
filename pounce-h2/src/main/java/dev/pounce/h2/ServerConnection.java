package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionEvent;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.UpgradeProvider;
import dev.pounce.spi.kit.HttpDate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one HTTP/2 connection: Netty's connection handler (framing, HPACK, stream states, flow
 * control, the flood limits) with Pounce's listener on top, which gives each client stream its {@link StreamRole}:
 * a {@link StreamExchange} for the bridge, or, for an extended CONNECT, a {@link ConnectOffer} to the upgrade
 * provider that becomes a {@link StreamTunnel}. Runs on the connection's event loop only.
 */
final class ServerConnection extends Http2ConnectionHandler
        implements Http2FrameListener, Http2RemoteFlowController.Listener {

    static final Logger LOG = LoggerFactory.getLogger("pounce.h2");

    private static final Headers TEXT_PLAIN = Headers.of("content-type", "text/plain; charset=utf-8");

    private final ConnectionContext context;
    private final ServerConfig config;
    private final Http2Config h2;
    private final boolean extendedConnect;
    private final Http2Connection.PropertyKey streamKey;
    private final long maxBody;
    private final AsciiString server;
    private final Runnable flushTask = this::flushNow;
    private final Runnable idleTask = this::onIdleCheck;

    private ChannelHandlerContext ctx;
    private boolean windowOpened;
    private boolean flushScheduled;
    private boolean draining;
    private long served;
    private long idleSince;
    private ScheduledFuture<?> idleCheck;
    private RequestBodyTimer bodyTimer;

    private final StreamStateGuard guard;

    private ServerConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                             Http2Settings initialSettings, ConnectionContext context, StreamStateGuard guard) {
        super(decoder, encoder, initialSettings);
        this.context = context;
        this.guard = guard;
        this.config = context.config();
        this.h2 = config.section(Http2Config.SECTION);
        this.extendedConnect = Boolean.TRUE.equals(initialSettings.connectProtocolEnabled());
        this.streamKey = connection().newKey();
        this.maxBody = config.limits().maxRequestBodySize();
        this.server = config.serverHeader().isEmpty() ? null : AsciiString.cached(config.serverHeader());
        decoder.frameListener(this);
        encoder.flowController().listener(this);
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                idleSince = -1;
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                StreamRole role = stream.getProperty(streamKey);
                switch (role) {
                    case StreamExchange ex -> {
                        bodyTimer.stop(ex);
                        ex.streamClosed();
                    }
                    case ConnectOffer offer -> offer.streamClosed();
                    case StreamTunnel tunnel -> tunnel.streamClosed();
                    case StreamRole.Answered answered -> { }
                    case null -> { }
                }
                // Netty's flow controller, a listener before this one, gave the stream's unread bytes back.
                bodyTimer.connectionWindowMoved();
                if (connection().numActiveStreams() == 0) {
                    becameIdle();
                }
            }
        });
    }

    /**
     * Builds the handler for a connection from the {@code http2} config section and adds it at the end of the
     * pipeline, where it sends the server preface. While an upgrade provider is enabled the preface says
     * SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3), so clients may send extended CONNECT.
     */
    static ServerConnection install(Channel channel, ConnectionContext context) {
        Http2Config h2 = context.config().section(Http2Config.SECTION);
        var settings = new Http2Settings()
                .maxConcurrentStreams(h2.maxConcurrentStreams())
                .maxHeaderListSize(h2.maxHeaderListSize())
                .headerTableSize(h2.headerTableSize())
                .maxFrameSize(h2.maxFrameSize())
                .initialWindowSize(h2.initialWindowSize());
        if (!context.upgrades().isEmpty()) {
            settings.connectProtocolEnabled(true);
        }
        var http2 = new DefaultHttp2Connection(true);
        var guard = new StreamStateGuard(http2);
        ServerConnection connection = new Builder(context, guard)
                .connection(http2)
                .frameLogger(guard)
                .initialSettings(settings)
                .validateHeaders(true)
                .validateRequiredPseudoHeaders(true)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(h2.maxEmptyFrames())
                .encoderEnforceMaxQueuedControlFrames(h2.maxQueuedControlFrames())
                .decoderEnforceMaxRstFramesPerWindow(h2.maxResetsPerWindow(), (int) h2.resetWindow().toSeconds())
                .gracefulShutdownTimeoutMillis(context.config().timeouts().gracefulShutdown().toMillis())
                .create();
        channel.pipeline().addLast("pounce-h2", connection);
        return connection;
    }

    /**
     * Answers a client that opened with the HTTP/2 preface when HTTP/2 is switched off: the server preface, then
     * GOAWAY HTTP_1_1_REQUIRED (RFC 9113 section 7), then close.
     */
    static void refuse(Channel channel) {
        byte[] debug = "HTTP/2 is disabled".getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = channel.alloc().buffer(9 + 9 + 8 + debug.length);
        // An empty SETTINGS frame (RFC 9113 section 6.5), then GOAWAY (section 6.8) with last stream 0.
        out.writeMedium(0).writeByte(Http2FrameTypes.SETTINGS).writeByte(0).writeInt(0);
        out.writeMedium(8 + debug.length).writeByte(Http2FrameTypes.GO_AWAY).writeByte(0).writeInt(0);
        out.writeInt(0).writeInt((int) Http2Error.HTTP_1_1_REQUIRED.code()).writeBytes(debug);
        channel.writeAndFlush(out).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                // Closing with the client's frames unread would make the kernel reset the GOAWAY away.
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
            } else {
                channel.close();
            }
        });
    }

    // ---- Netty callbacks ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        bodyTimer = new RequestBodyTimer(connection(), decoder().flowController(), streamKey, ctx.executor(),
                config.timeouts().requestBody(), this::bodyTimedOut);
        super.handlerAdded(ctx);
        openConnectionWindow();
        idleSince = now();
        scheduleIdleCheck(config.timeouts().keepAlive().toNanos());
        if (context.draining()) {
            drain();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        openConnectionWindow();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelIdleCheck();
        bodyTimer.close();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelIdleCheck();
        // Netty closes every stream here; each open exchange learns of it through onStreamClosed.
        super.channelInactive(ctx);
        bodyTimer.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // DATA that Netty drops without asking us (on a stream already reset) still counts against the connection
        // window; see whether it shut it.
        bodyTimer.connectionWindowMoved();
        super.channelReadComplete(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ConnectionEvent.DRAIN) {
            drain();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        if (cause instanceof IOException) {
            // A client that resets or drops its connection is normal traffic, not an error.
            LOG.debug("connection {} failed: {}", info().id(), cause.toString());
        } else {
            LOG.warn("connection {} failed", info().id(), cause);
        }
        ctx.close();
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                                     Http2Exception http2Ex) {
        LOG.debug("connection {}: HTTP/2 connection error: {}", info().id(), cause.toString());
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    @Override
    protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                                 Http2Exception.StreamException http2Ex) {
        LOG.debug("connection {}: HTTP/2 stream {} error: {}", info().id(), http2Ex.streamId(), cause.toString());
        guard.reset(http2Ex.streamId());
        super.onStreamError(ctx, outbound, cause, http2Ex);
    }

    // ---- frames from the client ----

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) throws Http2Exception {
        Http2Stream stream = connection().stream(streamId);
        StreamRole known = stream.getProperty(streamKey);
        if (known != null) {
            // Trailers (Netty has checked they end the stream and hold no pseudo-header). The SPI has no way to
            // hand request trailers to the app, so only the end of the body is told.
            switch (known) {
                case StreamExchange ex -> {
                    ex.deliver(Unpooled.EMPTY_BUFFER, true);
                    bodyTimer.watch(ex, true);
                }
                case StreamRole.TunnelBytes tunnel -> tunnel.clientEnded();
                case StreamRole.Answered answered -> { }
            }
            return;
        }
        RequestHeads.Parsed parsed;
        try {
            parsed = RequestHeads.parse(streamId, headers, config.limits().maxHeaders(), extendedConnect);
        } catch (RequestHeads.Refused e) {
            answer(stream, e.status, e.getMessage());
            return;
        }
        RequestHead head = parsed.head();
        if (parsed.protocol().isPresent()) {
            offer(stream, head, parsed.protocol().get(), endOfStream);
            return;
        }
        long declared = headers.getLong(HttpHeaderNames.CONTENT_LENGTH, -1L);
        if (maxBody > 0 && declared > maxBody) {
            answer(stream, 413, "request body larger than " + maxBody + " bytes");
            return;
        }
        serve(stream, head, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream)
            throws Http2Exception {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        int n = data.readableBytes();
        Http2Stream stream = connection().stream(streamId);
        StreamRole role = stream.getProperty(streamKey);
        return switch (role) {
            case StreamExchange ex -> bodyRead(stream, ex, data, padding, endOfStream);
            case StreamRole.TunnelBytes tunnel -> tunnelBytesRead(stream, tunnel, data, padding, endOfStream);
            case StreamRole.Answered answered -> n + padding;
            case null -> n + padding;
        };
    }

    /**
     * A request body's DATA: passed to the app, its credit returned as the app consumes it. Only the padding is
     * consumed now, here rather than by the decoder after we return, so the body timer sees the windows the client
     * now has.
     */
    private int bodyRead(Http2Stream stream, StreamExchange ex, ByteBuf data, int padding, boolean endOfStream) {
        int n = data.readableBytes();
        if (ex.addBodyBytes(n) > maxBody && maxBody > 0) {
            failBody(stream, ex, 413, "request body larger than " + maxBody + " bytes");
            return n + padding;
        }
        boolean taken = ex.deliver(n == 0 ? Unpooled.EMPTY_BUFFER : data.retainedSlice(), endOfStream);
        returnBytes(stream, taken ? padding : n + padding);
        bodyTimer.watch(ex, n > 0 || endOfStream);
        bodyTimer.connectionWindowMoved();
        return 0;
    }

    /**
     * A tunnel's DATA (or an offer's, held): only the padding is consumed now, the bytes as the provider consumes
     * them, so the stream window bounds what waits for it. No body timer runs for a tunnel, but the connection
     * window moved for the streams that have one.
     */
    private int tunnelBytesRead(Http2Stream stream, StreamRole.TunnelBytes tunnel, ByteBuf data, int padding,
                                boolean endOfStream) {
        if (data.isReadable()) {
            tunnel.arrived(data.retainedSlice());
        }
        if (endOfStream) {
            tunnel.clientEnded();
        }
        returnBytes(stream, padding);
        bodyTimer.connectionWindowMoved();
        return 0;
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
                               boolean exclusive) {
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        // Netty closes the stream; its exchange hears of it in onStreamClosed.
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        // Netty has applied our SETTINGS_INITIAL_WINDOW_SIZE to the streams' receive windows.
        bodyTimer.settingsApplied();
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
                                  Http2Headers headers, int padding) {
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
                               ByteBuf payload) {
        // RFC 9113 section 4.1: unknown frame types are ignored.
    }

    /** The remote flow controller saw a stream's writability change. */
    @Override
    public void writabilityChanged(Http2Stream stream) {
        StreamRole role = stream.getProperty(streamKey);
        switch (role) {
            case StreamExchange ex -> ex.streamWritabilityChanged();
            case StreamTunnel tunnel -> tunnel.streamWritabilityChanged();
            case ConnectOffer offer -> { }
            case StreamRole.Answered answered -> { }
            case null -> { }
        }
    }

    // ---- serving ----

    /** Serves the HTTP/1.1 request that upgraded this connection as stream 1 (RFC 7540 section 3.2). */
    void serveUpgrade(RequestHead head, Http2Settings settings) {
        try {
            onHttpServerUpgrade(settings);
        } catch (Http2Exception e) {
            LOG.debug("connection {}: h2c upgrade failed: {}", info().id(), e.toString());
            ctx.close();
            return;
        }
        serve(connection().stream(Http2CodecUtil.HTTP_UPGRADE_STREAM_ID), head, true);
    }

    private void serve(Http2Stream stream, RequestHead head, boolean endOfStream) {
        served++;
        var ex = new StreamExchange(this, stream, head);
        stream.setProperty(streamKey, ex);
        RequestBodySink sink;
        try {
            sink = context.bridge().serve(ex);
        } catch (RuntimeException e) {
            LOG.warn("bridge failed to serve a request on connection {}", info().id(), e);
            stream.removeProperty(streamKey);
            reset(stream, Http2Error.INTERNAL_ERROR);
            return;
        }
        ex.attach(sink);
        if (endOfStream) {
            ex.deliver(Unpooled.EMPTY_BUFFER, true);
        } else {
            bodyTimer.watch(ex, true);
        }
        drainIfDue();
    }

    /**
     * Offers an extended CONNECT (RFC 8441 section 4) to the providers of its protocol, in load order, until one
     * takes it; {@code 501} naming the protocol if none does.
     */
    private void offer(Http2Stream stream, RequestHead head, String protocol, boolean endOfStream) {
        served++;
        String token = protocol.toLowerCase(Locale.ROOT);
        var offer = new ConnectOffer(this, stream, head, token);
        stream.setProperty(streamKey, offer);
        if (endOfStream) {
            offer.clientEnded();
        }
        for (UpgradeProvider provider : context.upgrades()) {
            if (provider.token().equals(token) && offerTo(provider, offer, stream)) {
                drainIfDue();
                return;
            }
        }
        // Withdrawn first, so that an answer a provider sends after declining is refused.
        if (offer.withdraw()) {
            answer(stream, 501, "extended CONNECT for protocol " + protocol + " is not supported");
        }
        drainIfDue();
    }

    /** @return whether the provider took the offer; one that throws has it taken back, and the stream reset */
    private boolean offerTo(UpgradeProvider provider, ConnectOffer offer, Http2Stream stream) {
        try {
            // A provider that declines must leave the offer untouched; one that answered anyway has taken it.
            return provider.offer(offer) || offer.answered();
        } catch (RuntimeException e) {
            LOG.warn("upgrade provider {} failed on an extended CONNECT on connection {}",
                    provider.getClass().getName(), info().id(), e);
            if (offer.withdraw()) {
                stream.setProperty(streamKey, StreamRole.ANSWERED);
                reset(stream, Http2Error.INTERNAL_ERROR);
            }
            return true;
        }
    }

    /** Says GOAWAY once the stream just taken is known, so it is still served (RFC 9113 section 6.8). */
    private void drainIfDue() {
        int max = config.limits().maxRequestsPerConnection();
        if (context.draining() || max > 0 && served >= max) {
            ctx.executor().execute(this::drain);
        }
    }

    /** The request body's wait ran out: the client stopped sending while its window was open. */
    private void bodyTimedOut(StreamExchange ex) {
        failBody(ex.stream(), ex, 408, "request body timeout");
    }

    /**
     * Ends a request whose body broke a limit: the app is told, and the client gets {@code status} with RST_STREAM
     * NO_ERROR if the response has not started, RST_STREAM CANCEL if it has.
     */
    private void failBody(Http2Stream stream, StreamExchange ex, int status, String reason) {
        boolean answer = !ex.started();
        bodyTimer.stop(ex);
        ex.disconnect();
        if (answer) {
            answer(stream, status, reason);
        } else {
            LOG.debug("connection {}: stream {} reset after the response started: {}", info().id(), stream.id(),
                    reason);
            reset(stream, Http2Error.CANCEL);
        }
    }

    /** Answers a request ourselves with a short text response and the fields the bridge gives for it (its id). */
    private void answer(Http2Stream stream, int status, String reason) {
        Headers fields = TEXT_PLAIN;
        Headers fromBridge = context.bridge().rejected(info(), status, reason);
        for (int i = 0; i < fromBridge.size(); i++) {
            fields = fields.with(fromBridge.name(i), fromBridge.value(i));
        }
        byte[] body = (reason + "\n").getBytes(StandardCharsets.ISO_8859_1);
        respond(stream, status, fields, Unpooled.wrappedBuffer(body));
    }

    // ---- for the streams' roles, on the event loop ----

    /**
     * Writes a whole response that no app gives (our own answers, a denied upgrade), with its length, {@code Date}
     * and {@code Server}; the stream's later frames are dropped. If the client is still sending, RST_STREAM
     * NO_ERROR then asks it to stop without making it drop the answer (RFC 9113 section 8.1).
     */
    void respond(Http2Stream stream, int status, Headers headers, ByteBuf body) {
        stream.setProperty(streamKey, StreamRole.ANSWERED);
        Http2Headers fields = ResponseFields.of(status, headers);
        // RFC 9110 sections 6.4.1 and 8.6: no content after 204 or 304; a 204 has no length either.
        boolean noBody = status == 204 || status == 304;
        if (status == 204) {
            fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (!noBody) {
            fields.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        addDateAndServer(fields);
        ChannelFuture last;
        if (noBody || !body.isReadable()) {
            body.release();
            last = writeHeaders(stream, fields, true);
        } else {
            writeHeaders(stream, fields, false);
            last = writeData(stream, body, true);
        }
        resetWhenSent(stream, last);
        scheduleFlush();
    }

    ConnectionContext context() {
        return context;
    }

    ConnectionInfo info() {
        return context.info();
    }

    /** @return where each stream keeps its {@link StreamRole} */
    Http2Connection.PropertyKey roleKey() {
        return streamKey;
    }

    /** @return whether the connection said GOAWAY and waits for its streams */
    boolean isDraining() {
        return draining;
    }

    ServerConfig config() {
        return config;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    void addDateAndServer(Http2Headers headers) {
        if (config.dateHeader() && !headers.contains(HttpHeaderNames.DATE)) {
            headers.add(HttpHeaderNames.DATE, HttpDate.value());
        }
        if (server != null && !headers.contains(HttpHeaderNames.SERVER)) {
            headers.add(HttpHeaderNames.SERVER, server);
        }
    }

    /** Whether frames may still be written on the stream: it exists and we have not ended our side. */
    boolean sendable(Http2Stream stream) {
        Http2Stream.State state = stream.state();
        return connection().stream(stream.id()) == stream
                && (state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE);
    }

    ChannelFuture writeHeaders(Http2Stream stream, Http2Headers headers, boolean end) {
        if (!sendable(stream)) {
            return ctx.newFailedFuture(new IOException("stream " + stream.id() + " is closed"));
        }
        return encoder().writeHeaders(ctx, stream.id(), headers, 0, end, ctx.newPromise());
    }

    ChannelFuture writeData(Http2Stream stream, ByteBuf data, boolean end) {
        if (!sendable(stream)) {
            data.release();
            return ctx.newFailedFuture(new IOException("stream " + stream.id() + " is closed"));
        }
        return encoder().writeData(ctx, stream.id(), data, 0, end, ctx.newPromise());
    }

    /**
     * Once our last frame on a stream is out, asks the client to stop sending a body nobody will read
     * (RST_STREAM NO_ERROR, RFC 9113 section 8.1). Waits for the write so a reset cannot cancel the response.
     */
    void resetWhenSent(Http2Stream stream, ChannelFuture lastFrame) {
        lastFrame.addListener(f -> {
            if (connection().stream(stream.id()) == stream && stream.state() != Http2Stream.State.CLOSED
                    && stream.state() != Http2Stream.State.HALF_CLOSED_REMOTE) {
                reset(stream, Http2Error.NO_ERROR);
            }
        });
    }

    void reset(Http2Stream stream, Http2Error error) {
        if (connection().stream(stream.id()) == stream && stream.state() != Http2Stream.State.CLOSED) {
            resetStream(ctx, stream.id(), error.code(), ctx.newPromise());
            scheduleFlush();
        }
    }

    boolean isWritable(Http2Stream stream) {
        return sendable(stream) && encoder().flowController().isWritable(stream);
    }

    /**
     * The app (or a tunnel's provider) took {@code bytes} of the stream's DATA: they go back to the client, and its
     * wait for body may begin.
     */
    void consume(Http2Stream stream, int bytes) {
        returnBytes(stream, bytes);
        if (stream.getProperty(streamKey) instanceof StreamExchange ex) {
            bodyTimer.watch(ex, false);
        }
        bodyTimer.connectionWindowMoved();
    }

    /** The exchange's wait for body may have begun or ended. */
    void watchBody(StreamExchange ex) {
        bodyTimer.watch(ex, false);
    }

    /** Gives {@code bytes} of a stream's received DATA back to the client's windows, with WINDOW_UPDATE when due. */
    private void returnBytes(Http2Stream stream, int bytes) {
        try {
            if (bytes > 0 && connection().stream(stream.id()) == stream
                    && decoder().flowController().consumeBytes(stream, bytes)) {
                scheduleFlush();
            }
        } catch (Http2Exception e) {
            onError(ctx, true, e);
        }
    }

    /**
     * Flushes once all the writes queued on the event loop right now have run: the exchanges' calls arrive as
     * separate tasks from the apps' threads, and one flush for a burst of them saves a system call per response.
     */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        flush(ctx);
    }

    // ---- connection lifetime ----

    // RFC 9113 section 6.9.2: only SETTINGS sets the streams' windows; the connection's opens with WINDOW_UPDATE.
    private void openConnectionWindow() throws Http2Exception {
        if (windowOpened || !ctx.channel().isActive()) {
            return;
        }
        windowOpened = true;
        int delta = h2.connectionWindowSize() - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        if (delta > 0) {
            decoder().flowController().incrementWindowSize(connection().connectionStream(), delta);
            ctx.flush();
        }
    }

    /**
     * GOAWAY with the last stream we took, let open streams finish (up to the graceful timeout), then close. Open
     * tunnels are told, so that their providers finish too.
     */
    private void drain() {
        if (draining || !ctx.channel().isActive()) {
            return;
        }
        draining = true;
        LOG.debug("connection {} draining with {} open streams", info().id(), connection().numActiveStreams());
        // Through the pipeline, so Http2ConnectionHandler.close sends GOAWAY and waits for the streams.
        ctx.channel().close();
        try {
            connection().forEachActiveStream(stream -> {
                if (stream.getProperty(streamKey) instanceof StreamTunnel tunnel) {
                    tunnel.serverDraining();
                }
                return true;
            });
        } catch (Http2Exception e) {
            // Only the visitor could throw, and ours does not.
            throw new IllegalStateException(e);
        }
    }

    private void becameIdle() {
        idleSince = now();
        if (idleCheck == null) {
            scheduleIdleCheck(config.timeouts().keepAlive().toNanos());
        }
    }

    private void onIdleCheck() {
        idleCheck = null;
        if (!ctx.channel().isActive() || idleSince < 0) {
            return;
        }
        long left = idleSince + config.timeouts().keepAlive().toNanos() - now();
        if (left > 0) {
            scheduleIdleCheck(left);
            return;
        }
        if (connection().numActiveStreams() == 0) {
            LOG.trace("connection {} idle for {}, closing", info().id(), config.timeouts().keepAlive());
            drain();
        }
    }

    private void scheduleIdleCheck(long nanos) {
        idleCheck = ctx.executor().schedule(idleTask, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelIdleCheck() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** Netty's builder, opened up for our settings and limits. */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<ServerConnection, Builder> {
        private final ConnectionContext context;
        private final StreamStateGuard guard;

        Builder(ConnectionContext context, StreamStateGuard guard) {
            this.context = context;
            this.guard = guard;
        }

        @Override
        protected Builder connection(Http2Connection connection) {
            return super.connection(connection);
        }

        @Override
        protected Builder frameLogger(Http2FrameLogger logger) {
            return super.frameLogger(logger);
        }

        @Override
        protected Builder initialSettings(Http2Settings settings) {
            return super.initialSettings(settings);
        }

        @Override
        protected Builder validateHeaders(boolean validate) {
            return super.validateHeaders(validate);
        }

        @Override
        protected Builder validateRequiredPseudoHeaders(boolean validate) {
            return super.validateRequiredPseudoHeaders(validate);
        }

        @Override
        protected Builder decoderEnforceMaxConsecutiveEmptyDataFrames(int max) {
            return super.decoderEnforceMaxConsecutiveEmptyDataFrames(max);
        }

        @Override
        protected Builder encoderEnforceMaxQueuedControlFrames(int max) {
            return super.encoderEnforceMaxQueuedControlFrames(max);
        }

        @Override
        protected Builder decoderEnforceMaxRstFramesPerWindow(int max, int seconds) {
            return super.decoderEnforceMaxRstFramesPerWindow(max, seconds);
        }

        @Override
        protected Builder gracefulShutdownTimeoutMillis(long millis) {
            return super.gracefulShutdownTimeoutMillis(millis);
        }

        ServerConnection create() {
            return build();
        }

        @Override
        protected ServerConnection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                         Http2Settings initialSettings) {
            return new ServerConnection(decoder, encoder, initialSettings, context, guard);
        }
    }
}
