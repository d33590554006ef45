package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request stream, as the bridge sees it. Calls come from the app's thread and hop to the event loop, in the
 * order made; all state but the two writability fields is touched on the event loop only.
 *
 * <p>Writability is the stream's as Netty's remote flow controller sees it (connection and stream windows open
 * beyond what is queued, and the channel writable), and, since that is only known on the event loop, also a bound
 * on bytes the app has handed over that the loop has not yet taken: so an app can never run ahead of the loop.
 */
final class StreamExchange implements HttpExchange {

    /** Bytes an app may hand over before the event loop has queued them, above which it waits. */
    static final long HANDOVER_LIMIT = 64 * 1024;

    /** Fields that are the connection's, not the response's (RFC 9113 section 8.2.2). */
    private static final List<String> CONNECTION_FIELDS = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te");

    private final ServerConnection connection;
    private final Http2Stream stream;
    private final RequestHead head;
    private final EventLoop loop;
    private final boolean isHead;
    private final boolean expectsContinue;

    private final AtomicLong handedOver = new AtomicLong();
    private volatile boolean streamWritable = true;

    private RequestBodySink sink;
    private boolean started;
    private boolean ended;
    private boolean disconnected;
    private boolean bodyComplete;
    private boolean continueSent;
    private long bodyBytes;
    private List<Runnable> writableWaiters;

    /** Whether {@link RequestBodyTimer} times this stream's wait for body, and until when; the timer's alone. */
    boolean bodyTimed;
    long bodyDeadline;

    StreamExchange(ServerConnection connection, Http2Stream stream, RequestHead head) {
        this.connection = connection;
        this.stream = stream;
        this.head = head;
        this.loop = connection.ctx().channel().eventLoop();
        this.isHead = head.method().equals("HEAD");
        this.expectsContinue = head.headers().first("expect").filter("100-continue"::equalsIgnoreCase).isPresent();
    }

    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public ConnectionInfo connection() {
        return connection.info();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Sends {@code 100 Continue} if the client asked for it (RFC 9110 section 10.1.1) and is still waiting: no body
     * byte came and no response was sent. Only then does the request-body timeout start for such a stream. Other
     * clients send their body within the window they were given, unasked.
     */
    @Override
    public void requestBody() {
        onLoop(() -> {
            if (continuePending() && !started && !ended) {
                continueSent = true;
                connection.writeHeaders(stream, fields(100, Headers.empty()), false);
                connection.scheduleFlush();
            }
            connection.watchBody(this);
        }, null);
    }

    @Override
    public void consumed(int bytes) {
        if (bytes > 0) {
            onLoop(() -> connection.consume(stream, bytes), null);
        }
    }

    @Override
    public void informational(int status, Headers headers) {
        onLoop(() -> {
            // RFC 9113 section 8.1: any number of 1xx HEADERS before the final one; 101 is not for HTTP/2.
            if (started || ended || status < 100 || status > 199 || status == 101) {
                return;
            }
            connection.writeHeaders(stream, fields(status, headers), false);
            connection.scheduleFlush();
            if (status == 100 && !continueSent) {
                continueSent = true;
                connection.watchBody(this);
            }
        }, null);
    }

    @Override
    public void start(int status, Headers headers, ByteBuf body, boolean last) {
        long n = handOver(body);
        onLoop(() -> {
            taken(n);
            writeStart(status, headers, body, last);
        }, body);
    }

    @Override
    public void body(ByteBuf body, boolean last) {
        long n = handOver(body);
        onLoop(() -> {
            taken(n);
            if (!started || ended) {
                body.release();
                return;
            }
            ChannelFuture f = connection.writeData(stream, body, last);
            if (last) {
                end(f);
            }
            connection.scheduleFlush();
            refreshWritable();
        }, body);
    }

    @Override
    public void trailers(Headers trailers) {
        onLoop(() -> {
            if (!started || ended) {
                return;
            }
            Http2Headers fields = new DefaultHttp2Headers(false, trailers.size());
            copy(trailers, fields);
            ChannelFuture f = fields.isEmpty()
                    ? connection.writeData(stream, Unpooled.EMPTY_BUFFER, true)
                    : connection.writeHeaders(stream, fields, true);
            end(f);
            connection.scheduleFlush();
        }, null);
    }

    @Override
    public void abort(Throwable cause) {
        onLoop(() -> {
            if (ended) {
                return;
            }
            ServerConnection.LOG.debug("response aborted on connection {} stream {}: {}", connection.info().id(),
                    stream.id(), cause.toString());
            ended = true;
            runWaiters();
            connection.reset(stream, Http2Error.INTERNAL_ERROR);
        }, null);
    }

    @Override
    public boolean writable() {
        return streamWritable && handedOver.get() < HANDOVER_LIMIT;
    }

    @Override
    public void whenWritable(Runnable callback) {
        onLoop(() -> {
            refreshWritable();
            if (ended || streamWritable) {
                callback.run();
            } else {
                if (writableWaiters == null) {
                    writableWaiters = new ArrayList<>(1);
                }
                writableWaiters.add(callback);
            }
        }, null);
    }

    // ---- called by the connection, on the event loop ----

    void attach(RequestBodySink sink) {
        this.sink = sink;
    }

    long addBodyBytes(int n) {
        return bodyBytes += n;
    }

    boolean started() {
        return started;
    }

    Http2Stream stream() {
        return stream;
    }

    /**
     * Whether the app still wants body that only the client can bring: the body has not ended, the response has
     * not ended, the app is still there, and the client is not waiting for a {@code 100 Continue} first.
     */
    boolean awaitsBody() {
        return sink != null && !bodyComplete && !ended && !disconnected && !continuePending();
    }

    private boolean continuePending() {
        return expectsContinue && !continueSent && bodyBytes == 0;
    }

    /**
     * Passes body bytes to the app. Once the app is gone or its response ended, data is dropped; the end of the
     * body is still told while the app may be waiting for it.
     *
     * @return whether the app took the bytes, and so will give them back through {@link #consumed}
     */
    boolean deliver(ByteBuf data, boolean last) {
        if (last) {
            bodyComplete = true;
        }
        if (disconnected || sink == null) {
            data.release();
            return false;
        }
        if (ended) {
            data.release();
            if (last) {
                sink.onData(Unpooled.EMPTY_BUFFER, true);
            }
            return false;
        }
        sink.onData(data, last);
        return true;
    }

    /** The request is over for the app: body too large, or the stream is gone. Told once. */
    void disconnect() {
        if (disconnected) {
            return;
        }
        disconnected = true;
        ended = true;
        runWaiters();
        if (sink != null) {
            sink.onDisconnect();
        }
    }

    /**
     * The stream closed: normally once both sides ended; early when the client reset it, we reset it, or the
     * connection went. An app still answering, or still waiting for body, is told.
     */
    void streamClosed() {
        streamWritable = true;
        if (!ended || !bodyComplete) {
            disconnect();
        } else {
            runWaiters();
        }
    }

    void writabilityChanged() {
        refreshWritable();
        if (streamWritable && writableWaiters != null) {
            runWaiters();
        }
    }

    // ---- response writing, on the event loop ----

    private void writeStart(int status, Headers headers, ByteBuf body, boolean last) {
        if (started || ended || status < 200 || status > 599) {
            body.release();
            return;
        }
        started = true;
        // RFC 9110 sections 6.4.1 and 9.3.2: no content after 204 or 304, nor for HEAD.
        boolean noBody = status == 204 || status == 304 || isHead;
        Http2Headers fields = fields(status, headers);
        if (status == 204) {
            fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (last && !noBody && !fields.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            fields.addInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        connection.addDateAndServer(fields);
        if (noBody || last && !body.isReadable()) {
            // The response is its head: END_STREAM on HEADERS, and anything the app sends after is dropped.
            body.release();
            end(connection.writeHeaders(stream, fields, true));
        } else {
            connection.writeHeaders(stream, fields, false);
            if (body.isReadable() || last) {
                ChannelFuture f = connection.writeData(stream, body, last);
                if (last) {
                    end(f);
                }
            } else {
                body.release();
            }
        }
        connection.scheduleFlush();
        refreshWritable();
    }

    private void end(ChannelFuture lastFrame) {
        ended = true;
        runWaiters();
        if (!bodyComplete) {
            // The body is no longer wanted, so no longer waited for.
            connection.watchBody(this);
            connection.resetWhenSent(stream, lastFrame);
        }
    }

    private static Http2Headers fields(int status, Headers headers) {
        Http2Headers fields = new DefaultHttp2Headers(false, headers.size() + 3);
        fields.status(HttpResponseStatus.valueOf(status).codeAsText());
        copy(headers, fields);
        return fields;
    }

    // Names arrive lower-cased and checked, values without CR, LF or NUL (Headers' contract).
    private static void copy(Headers from, Http2Headers to) {
        for (int i = 0; i < from.size(); i++) {
            String name = from.name(i);
            if (!CONNECTION_FIELDS.contains(name)) {
                to.add(name, from.value(i));
            }
        }
    }

    private void refreshWritable() {
        streamWritable = ended || connection.isWritable(stream);
    }

    private void runWaiters() {
        List<Runnable> waiters = writableWaiters;
        writableWaiters = null;
        if (waiters != null) {
            for (Runnable r : waiters) {
                r.run();
            }
        }
    }

    private long handOver(ByteBuf body) {
        long n = body.readableBytes();
        if (n > 0) {
            handedOver.addAndGet(n);
        }
        return n;
    }

    private void taken(long n) {
        if (n > 0) {
            handedOver.addAndGet(-n);
        }
    }

    private void onLoop(Runnable task, ByteBuf owned) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The worker is gone, and the connection with it.
            if (owned != null) {
                owned.release();
            }
        }
    }
}
