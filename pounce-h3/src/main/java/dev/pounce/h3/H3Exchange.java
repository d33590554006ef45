package dev.pounce.h3;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.kit.AbstractExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Headers;


/**
 * One request stream, as the bridge sees it. The bridge calls it from the app's thread and each call hops to the
 * event loop, in the order made (the kit's {@link AbstractExchange} holds the body's way to the app, the
 * disconnect-once rule and the writability waiters); all state here but the two writability fields is the event
 * loop's.
 *
 * <p>Writability is the QUIC stream's: it has room while the client's stream and connection windows (and QUIC's
 * send buffer) take more, which is when Netty calls it writable. Since that is only known on the event loop, it is
 * also bounded by the bytes the app has handed over that the loop has not yet taken, so an app never runs ahead of
 * the loop.
 */
final class H3Exchange extends AbstractExchange {


    private final RequestStream stream;
    private final RequestHead head;
    private final ConnectionInfo info;
    private final boolean isHead;
    private final boolean expectsContinue;

    private volatile boolean streamWritable = true;

    private boolean started;
    private boolean continueSent;

    H3Exchange(RequestStream stream, EventLoop loop, RequestHead head, ConnectionInfo info) {
        super(loop);
        this.stream = stream;
        this.head = head;
        this.info = info;
        this.isHead = head.method().equals("HEAD");
        this.expectsContinue = head.headers().first("expect").filter("100-continue"::equalsIgnoreCase).isPresent();
    }

    @Override
    public RequestHead head() {
        return head;
    }

    /** @return {@code h3} */
    @Override
    public String protocol() {
        return "h3";
    }

    @Override
    public ConnectionInfo connection() {
        return info;
    }

    /**
     * Sends {@code 100 Continue} if the client asked for it (RFC 9110 section 10.1.1) and no response has started:
     * the app reads the body now.
     */
    @Override
    public void requestBody() {
        onLoop(() -> {
            if (expectsContinue && !continueSent && !started && !ended()) {
                continueSent = true;
                stream.writeHeaders(ResponseFields.of(100, Headers.empty()), false);
            }
        }, null);
    }

    @Override
    public void consumed(int bytes) {
        if (bytes > 0) {
            onLoop(() -> stream.consumed(bytes), null);
        }
    }

    @Override
    public void informational(int status, Headers headers) {
        onLoop(() -> {
            // RFC 9114 section 4.1: any number of interim responses before the final one; 101 is not for HTTP/3.
            if (started || ended() || status < 100 || status > 199 || status == 101) {
                return;
            }
            if (status == 100) {
                continueSent = true;
            }
            stream.writeHeaders(ResponseFields.of(status, headers), false);
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
            if (last) {
                end();
            }
            stream.writeData(body, last);
            writableOnLoop();
        }, body);
    }

    @Override
    public void trailers(Headers trailers) {
        onLoop(() -> {
            if (!started || ended()) {
                return;
            }
            end();
            Http3Headers fields = new DefaultHttp3Headers(false, trailers.size());
            ResponseFields.copy(trailers, fields);
            if (fields.isEmpty()) {
                stream.writeData(Unpooled.EMPTY_BUFFER, true);
            } else {
                stream.writeHeaders(fields, true);
            }
        }, null);
    }

    @Override
    public void abort(Throwable cause) {
        onLoop(() -> {
            if (ended()) {
                return;
            }
            QuicConnection.LOG.debug("response aborted on connection {}: {}", info.id(), cause.toString());
            end();
            stream.reset(Http3ErrorCode.H3_INTERNAL_ERROR.code());
        }, null);
    }

    @Override
    public boolean writable() {
        return streamWritable && handOverRoom();
    }

    /** Also refreshes what {@link #writable()} reads on other threads. */
    @Override
    protected boolean writableOnLoop() {
        streamWritable = ended() || stream.isWritable();
        return streamWritable;
    }

    // ---- called by the stream, on the event loop ----

    boolean started() {
        return started;
    }

    /** The stream closed: both sides ended, someone reset it, or the connection went. */
    void streamClosed() {
        streamWritable = true;
        if (!ended() || !bodyComplete()) {
            disconnect();
        }
    }

    /** QUIC's room on the stream changed. */
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
        Http3Headers fields = ResponseFields.of(status, headers);
        if (status == 204) {
            fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (last && !noBody && !fields.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            fields.addInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        stream.addDateAndServer(fields);
        if (noBody || last && !body.isReadable()) {
            // The response is its head: the FIN follows it, and anything the app sends after is dropped.
            body.release();
            end();
            stream.writeHeaders(fields, true);
        } else {
            if (body.isReadable()) {
                stream.writeHeadersBeforeData(fields);
            } else {
                stream.writeHeaders(fields, false);
            }
            if (last) {
                end();
            }
            stream.writeData(body, last);
        }
        writableOnLoop();
    }

}
