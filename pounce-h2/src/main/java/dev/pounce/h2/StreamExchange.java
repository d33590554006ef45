package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.kit.AbstractExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;


/**
 * One request stream, as the bridge sees it. The bridge calls it from the app's thread and each call hops to the
 * event loop, in the order made (the kit's {@link AbstractExchange} holds the body's way to the app, the
 * disconnect-once rule and the writability waiters); all state here but the two writability fields is the event
 * loop's.
 *
 * <p>Writability is the stream's as Netty's remote flow controller sees it (connection and stream windows open
 * beyond what is queued, and the channel writable), and, since that is only known on the event loop, also a bound
 * on bytes the app has handed over that the loop has not yet taken: so an app can never run ahead of the loop.
 */
final class StreamExchange extends AbstractExchange implements StreamRole {


    private final ServerConnection connection;
    private final Http2Stream stream;
    private final RequestHead head;
    private final boolean isHead;
    private final boolean expectsContinue;

    private volatile boolean streamWritable = true;

    private boolean started;
    private boolean continueSent;
    private long bodyBytes;

    /** Whether {@link RequestBodyTimer} times this stream's wait for body, and until when; the timer's alone. */
    boolean bodyTimed;
    long bodyDeadline;

    StreamExchange(ServerConnection connection, Http2Stream stream, RequestHead head) {
        super(connection.ctx().channel().eventLoop());
        this.connection = connection;
        this.stream = stream;
        this.head = head;
        this.isHead = head.method().equals("HEAD");
        this.expectsContinue = head.headers().first("expect").filter("100-continue"::equalsIgnoreCase).isPresent();
    }

    @Override
    public RequestHead head() {
        return head;
    }

    /** @return {@code h2} */
    @Override
    public String protocol() {
        return "h2";
    }

    @Override
    public ConnectionInfo connection() {
        return connection.info();
    }

    /**
     * Sends {@code 100 Continue} if the client asked for it (RFC 9110 section 10.1.1) and is still waiting: no body
     * byte came and no response was sent. Only then does the request-body timeout start for such a stream. Other
     * clients send their body within the window they were given, unasked.
     */
    @Override
    public void requestBody() {
        onLoop(() -> {
            if (continuePending() && !started && !ended()) {
                continueSent = true;
                connection.writeHeaders(stream, ResponseFields.of(100, Headers.empty()), false);
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
            if (started || ended() || status < 100 || status > 199 || status == 101) {
                return;
            }
            connection.writeHeaders(stream, ResponseFields.of(status, headers), false);
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
            if (!started || ended()) {
                body.release();
                return;
            }
            ChannelFuture f = connection.writeData(stream, body, last);
            if (last) {
                finish(f);
            }
            connection.scheduleFlush();
            writableOnLoop();
        }, body);
    }

    @Override
    public void trailers(Headers trailers) {
        onLoop(() -> {
            if (!started || ended()) {
                return;
            }
            Http2Headers fields = new DefaultHttp2Headers(false, trailers.size());
            ResponseFields.copy(trailers, fields);
            ChannelFuture f = fields.isEmpty()
                    ? connection.writeData(stream, Unpooled.EMPTY_BUFFER, true)
                    : connection.writeHeaders(stream, fields, true);
            finish(f);
            connection.scheduleFlush();
        }, null);
    }

    @Override
    public void abort(Throwable cause) {
        onLoop(() -> {
            if (ended()) {
                return;
            }
            ServerConnection.LOG.debug("response aborted on connection {} stream {}: {}", connection.info().id(),
                    stream.id(), cause.toString());
            end();
            connection.reset(stream, Http2Error.INTERNAL_ERROR);
        }, null);
    }

    @Override
    public boolean writable() {
        return streamWritable && handOverRoom();
    }

    /** Also refreshes what {@link #writable()} reads on other threads. */
    @Override
    protected boolean writableOnLoop() {
        streamWritable = ended() || connection.isWritable(stream);
        return streamWritable;
    }

    // ---- called by the connection, on the event loop ----

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
        return !bodyComplete() && !ended() && !disconnected() && !continuePending();
    }

    private boolean continuePending() {
        return expectsContinue && !continueSent && bodyBytes == 0;
    }

    /**
     * The stream closed: normally once both sides ended; early when the client reset it, we reset it, or the
     * connection went. An app still answering, or still waiting for body, is told.
     */
    void streamClosed() {
        streamWritable = true;
        if (!ended() || !bodyComplete()) {
            disconnect();
        }
    }

    /** The remote flow controller saw the stream's writability change. */
    void streamWritabilityChanged() {
        writableOnLoop();
        writabilityChanged();
    }

    // ---- response writing, on the event loop ----

    private void writeStart(int status, Headers headers, ByteBuf body, boolean last) {
        if (started || ended() || status < 200 || status > 599) {
            body.release();
            return;
        }
        started = true;
        // RFC 9110 sections 6.4.1 and 9.3.2: no content after 204 or 304, nor for HEAD.
        boolean noBody = status == 204 || status == 304 || isHead;
        Http2Headers fields = ResponseFields.of(status, headers);
        if (status == 204) {
            fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (last && !noBody && !fields.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            fields.addInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        connection.addDateAndServer(fields);
        if (noBody || last && !body.isReadable()) {
            // The response is its head: END_STREAM on HEADERS, and anything the app sends after is dropped.
            body.release();
            finish(connection.writeHeaders(stream, fields, true));
        } else {
            connection.writeHeaders(stream, fields, false);
            if (body.isReadable() || last) {
                ChannelFuture f = connection.writeData(stream, body, last);
                if (last) {
                    finish(f);
                }
            } else {
                body.release();
            }
        }
        connection.scheduleFlush();
        writableOnLoop();
    }

    /** The response's last frame is queued: the response has ended, and a body still coming is declined. */
    private void finish(ChannelFuture lastFrame) {
        end();
        if (!bodyComplete()) {
            // The body is no longer wanted, so no longer waited for.
            connection.watchBody(this);
            connection.resetWhenSent(stream, lastFrame);
        }
    }

}
