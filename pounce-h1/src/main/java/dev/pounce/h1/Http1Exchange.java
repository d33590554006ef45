package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.kit.AbstractExchange;
import dev.pounce.spi.kit.HttpDate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;

/**
 * One request on an HTTP/1.1 connection, as the bridge sees it. Calls come from the app's thread and hop to the
 * event loop, in the order made; all state below is touched on the event loop only. The kit delivers the body and
 * keeps the writability waiters; the response is encoded here (RFC 9112 sections 6 and 7): the app's fields plus
 * {@code Date}, {@code Server}, framing and {@code Connection}.
 */
final class Http1Exchange extends AbstractExchange {

    /** Bodies up to this size are copied behind the head or chunk header, so one buffer goes out per write. */
    private static final int COPY_THRESHOLD = 8192;

    /** How a response body is delimited on the wire (RFC 9112 section 6.3). */
    private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private final Http1Connection connection;
    private final ParsedRequest request;

    private boolean started;
    private boolean continueSent;
    private Framing framing = Framing.NONE;
    private long declaredLength;
    private long written;
    private boolean keepAlive;

    Http1Exchange(Http1Connection connection, ParsedRequest request, EventLoop loop) {
        super(loop);
        this.connection = connection;
        this.request = request;
    }

    @Override
    public RequestHead head() {
        return request.head();
    }

    /** @return {@code http/1.1}, also for an HTTP/1.0 request: the protocol, not the request's version */
    @Override
    public String protocol() {
        return "http/1.1";
    }

    @Override
    public ConnectionInfo connection() {
        return connection.info();
    }

    @Override
    public void requestBody() {
        onLoop(() -> connection.bodyRequested(this), null);
    }

    @Override
    public void consumed(int bytes) {
        onLoop(() -> connection.consumed(this, bytes), null);
    }

    @Override
    public void informational(int status, Headers headers) {
        onLoop(() -> writeInformational(status, headers), null);
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
            writeBody(null, body, last);
        }, body);
    }

    /** A plain TCP (or Unix socket) connection sends files with {@code sendfile}; over TLS they must be encrypted. */
    @Override
    public boolean sendsFileRegions() {
        return !connection.info().secure();
    }

    @Override
    public void body(FileRegion region, boolean last) {
        onLoop(() -> {
            if (!started || ended()) {
                region.release();
                return;
            }
            writeRegion(region, last);
        }, null);
    }

    @Override
    public void trailers(Headers trailers) {
        onLoop(() -> writeTrailers(trailers), null);
    }

    @Override
    public void abort(Throwable cause) {
        onLoop(() -> {
            if (!ended()) {
                Http1Connection.LOG.debug("response aborted on connection {}: {}", connection.info().id(),
                        cause.toString());
                end();
                connection.abort(this);
            }
        }, null);
    }

    /** The channel has room, and the loop has taken what the app handed it (see {@link AbstractExchange}). */
    @Override
    public boolean writable() {
        return connection.channel().isWritable() && handOverRoom();
    }

    @Override
    protected boolean writableOnLoop() {
        return connection.channel().isWritable();
    }

    // ---- called by the connection, on the event loop ----

    boolean started() {
        return started;
    }

    boolean continueSent() {
        return continueSent;
    }

    void continueSent(boolean sent) {
        continueSent = sent;
    }

    // ---- response encoding, on the event loop ----

    private void writeInformational(int status, Headers headers) {
        // RFC 9110 section 15.2: a 1xx cannot go to an HTTP/1.0 client; 101 belongs to the upgrade path.
        if (started || ended() || !request.http11() || status < 100 || status > 199 || status == 101) {
            return;
        }
        if (status == 100) {
            if (continueSent) {
                return;
            }
            continueSent = true;
        }
        ByteBuf out = connection.alloc().buffer(64 + ResponseEncoder.estimate(headers));
        ResponseEncoder.statusLine(out, status);
        ResponseEncoder.fields(out, headers);
        out.writeBytes(ResponseEncoder.CRLF);
        connection.writeAndFlush(out);
    }

    private void writeStart(int status, Headers headers, ByteBuf body, boolean last) {
        if (started || ended() || status < 100 || status > 599) {
            body.release();
            return;
        }
        started = true;
        long appLength = -1;
        boolean appClose = false;
        boolean appServer = false;
        boolean appDate = false;
        boolean badLength = false;
        for (int i = 0; i < headers.size(); i++) {
            switch (headers.name(i)) {
                case "content-length" -> {
                    try {
                        appLength = FieldValues.contentLength(headers.value(i).strip());
                    } catch (RequestRejected e) {
                        badLength = true;
                    }
                }
                case "connection" -> appClose |= FieldValues.listContains(headers.value(i), "close");
                case "server" -> appServer = true;
                case "date" -> appDate = true;
                default -> { }
            }
        }
        // RFC 9110 sections 6.4.1 and 9.3.2: no body after 1xx, 204, 304 or for HEAD.
        boolean noBody = status < 200 || status == 204 || status == 304 || request.isHead();
        // RFC 9110 section 8.6: never a Content-Length on 1xx or 204; HEAD and 304 keep the app's.
        boolean keepAppLength = !badLength && status >= 200 && status != 204;
        boolean addLength = false;
        if (noBody) {
            framing = Framing.NONE;
        } else if (appLength >= 0 && !badLength) {
            framing = Framing.LENGTH;
            declaredLength = appLength;
        } else if (last) {
            framing = Framing.LENGTH;
            declaredLength = body.readableBytes();
            addLength = true;
            keepAppLength = false;
        } else if (request.http11()) {
            framing = Framing.CHUNKED;
            keepAppLength = false;
        } else {
            framing = Framing.UNTIL_CLOSE;
        }
        keepAlive = framing != Framing.UNTIL_CLOSE && status >= 200 && !appClose && connection.mayKeepAlive(this);

        int n = body.readableBytes();
        int size = 160 + ResponseEncoder.estimate(headers) + (n <= COPY_THRESHOLD ? n + 16 : 16);
        ByteBuf out = connection.alloc().buffer(size);
        ResponseEncoder.statusLine(out, status);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            switch (name) {
                // Framing and persistence are ours to say (RFC 9112 sections 6.1 and 9.6).
                case "connection", "keep-alive", "transfer-encoding" -> { }
                case "content-length" -> {
                    if (keepAppLength) {
                        ResponseEncoder.field(out, name, headers.value(i));
                    }
                }
                default -> ResponseEncoder.field(out, name, headers.value(i));
            }
        }
        if (!appDate && connection.config().dateHeader()) {
            out.writeBytes(HttpDate.line());
        }
        String server = connection.config().serverHeader();
        if (!appServer && !server.isEmpty()) {
            ResponseEncoder.field(out, "Server", server);
        }
        if (addLength) {
            ResponseEncoder.field(out, "Content-Length", declaredLength);
        } else if (framing == Framing.CHUNKED) {
            ResponseEncoder.field(out, "Transfer-Encoding", "chunked");
        }
        if (!keepAlive) {
            ResponseEncoder.field(out, "Connection", "close");
        } else if (!request.http11()) {
            ResponseEncoder.field(out, "Connection", "keep-alive");
        }
        out.writeBytes(ResponseEncoder.CRLF);
        writeBody(out, body, last);
    }

    // Writes a body piece behind what is in `head` (the response head, or null), then flushes once, so SSE events
    // reach the client as they are sent and a small response leaves in one write.
    private void writeBody(ByteBuf head, ByteBuf body, boolean last) {
        int n = body.readableBytes();
        if (framing == Framing.NONE) {
            body.release();
            if (head != null) {
                connection.writeAndFlush(head);
            }
            if (last) {
                end();
                connection.responseEnded(this, keepAlive);
            }
            return;
        }
        if (framing == Framing.LENGTH && written + n > declaredLength) {
            // The app sent more than it declared: the extra bytes would be read as the next response.
            body.release();
            if (head != null) {
                head.release();
            }
            abortFraming("response body longer than its Content-Length");
            return;
        }
        written += n;
        boolean chunk = framing == Framing.CHUNKED && n > 0;
        boolean lastChunk = last && framing == Framing.CHUNKED;
        ByteBuf out = head != null ? head : connection.alloc().buffer(n <= COPY_THRESHOLD ? n + 32 : 32);
        if (chunk) {
            ResponseEncoder.chunkHeader(out, n);
        }
        if (n <= COPY_THRESHOLD) {
            out.writeBytes(body);
            body.release();
        } else {
            // Large bodies go out as they are, behind the head or chunk header, in the same flush.
            connection.write(out);
            connection.write(body);
            out = chunk || lastChunk ? connection.alloc().buffer(8) : null;
        }
        if (out != null) {
            if (chunk) {
                out.writeBytes(ResponseEncoder.CRLF);
            }
            if (lastChunk) {
                out.writeBytes(ResponseEncoder.LAST_CHUNK);
            }
        }
        if (out == null) {
            connection.flush();
        } else if (out.isReadable()) {
            connection.writeAndFlush(out);
        } else {
            out.release();
        }
        if (last) {
            finishBody();
        }
    }

    // A file region goes out as it is, so it needs the length framing: a chunk would need its size line around it,
    // which the caller never asks for, since it declares the length of the files it sends.
    private void writeRegion(FileRegion region, boolean last) {
        long n = region.count();
        if (framing == Framing.NONE) {
            region.release();
            if (last) {
                end();
                connection.responseEnded(this, keepAlive);
            }
            return;
        }
        if (framing != Framing.LENGTH || written + n > declaredLength) {
            region.release();
            abortFraming("a file region without a Content-Length that holds it");
            return;
        }
        written += n;
        connection.writeAndFlush(region);
        if (last) {
            finishBody();
        }
    }

    private void writeTrailers(Headers trailers) {
        if (!started || ended()) {
            return;
        }
        if (framing == Framing.CHUNKED) {
            // RFC 9112 section 7.1.2: last-chunk, then the trailer section, then CRLF.
            ByteBuf out = connection.alloc().buffer(16 + ResponseEncoder.estimate(trailers));
            out.writeByte('0');
            out.writeBytes(ResponseEncoder.CRLF);
            ResponseEncoder.fields(out, trailers);
            out.writeBytes(ResponseEncoder.CRLF);
            connection.writeAndFlush(out);
        }
        // Other framings cannot carry trailers; they are dropped and the response simply ends.
        finishBody();
    }

    private void finishBody() {
        if (framing == Framing.LENGTH && written < declaredLength) {
            abortFraming("response body shorter than its Content-Length");
            return;
        }
        end();
        connection.responseEnded(this, keepAlive);
    }

    private void abortFraming(String why) {
        Http1Connection.LOG.debug("closing connection {}: {}", connection.info().id(), why);
        end();
        connection.abort(this);
    }
}
