package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Response;
import dev.pounce.api.StaticMount;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.Labels;
import dev.pounce.runtime.internal.metrics.WorkerMetrics;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.kit.HttpDate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request for a static file, answered on a virtual thread of its own ({@code pounce-static}), since finding the
 * file and reading it block on the disk, and the event loop must not. The body is read in chunks of
 * {@link #CHUNK} bytes and each is written only when the exchange is writable, as an app's {@code send} does, so a
 * slow client holds one chunk in memory, not the file; a client that reads nothing for {@code --timeout-write} is
 * cut off. Where the protocol can ({@link HttpExchange#sendsFileRegions()}: HTTP/1.1 on plain TCP), a range of at
 * least {@link #ZERO_COPY_MIN} bytes goes by {@code sendfile} instead, and never passes through the JVM's memory.
 *
 * <p>The answer, in the order RFC 9110 section 13.2.2 evaluates it: {@code 405} for a method other than
 * {@code GET} and {@code HEAD}; {@code 404} for anything {@link StaticPath} refuses; {@code 301} to the path with
 * its final {@code /} for a folder; {@code 412} when {@code If-Match} names none of the file's tags or, without
 * {@code If-Match}, the file changed after {@code If-Unmodified-Since}; {@code 304} when {@code If-None-Match}
 * names its tag (weak comparison) or, without {@code If-None-Match}, it did not change after
 * {@code If-Modified-Since}; then {@code 206} for the ranges of a {@code GET} ({@link ByteRanges}), one with
 * {@code Content-Range}, several as {@code multipart/byteranges}, unless {@code If-Range} names another version;
 * {@code 416} with {@code Content-Range: bytes *}{@code /length} when no range lies in the file; else {@code 200}.
 *
 * <p>The {@code ETag} is strong, {@code "<mtime in microseconds, hex>-<size, hex>"} with {@code -<coding>} for a
 * precompressed sibling, as nginx makes it: a file rewritten in place gets another tag unless its size and time
 * stay the same to the microsecond. Strong, so that {@code If-Range} (which compares strongly) can resume a
 * download. {@code Last-Modified} is the file's time, to the second.
 */
final class StaticResponse implements RequestBodySink, Runnable {

    /** The bytes read from the file and written at a time. */
    static final int CHUNK = 64 * 1024;

    /**
     * The smallest range sent with {@code sendfile} where the protocol can ({@link HttpExchange#sendsFileRegions()}):
     * below it a copy costs less than the extra write, as the Python Pounce found (its #127).
     */
    static final long ZERO_COPY_MIN = 16 * 1024;

    /**
     * Whether {@code sendfile} is used at all: on unless {@code -Dpounce.static.zeroCopy=false}, which is there to
     * measure the difference and to step around a kernel or file system whose {@code sendfile} misbehaves.
     */
    static final boolean ZERO_COPY = !"false".equals(System.getProperty("pounce.static.zeroCopy"));

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);
    private static final byte[] NOT_FOUND = "Not Found\n".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final AppBridge bridge;
    private final HttpExchange exchange;
    private final RequestHead head;
    private final StaticMount mount;
    private final String rest;
    private final RequestOrigin origin;
    private final String requestId;
    private final WorkerMetrics metrics;
    private final int protocol;
    /** The request's scope for the middleware, present only when there is middleware. */
    private final Optional<HttpScope> scope;
    private final MiddlewareChain chain;
    /** How many middleware, from the outermost, see the response start; all unless one answered early. */
    private int depth;
    /** How many middleware the request went through, whose after hooks run. */
    private int afterDepth;
    private volatile boolean gone;
    private boolean started;
    private long bytesSent;

    StaticResponse(AppBridge bridge, HttpExchange exchange, StaticFiles.Match match, RequestOrigin origin,
                   String requestId, Optional<HttpScope> scope) {
        this.scope = scope;
        this.chain = scope.isPresent() ? bridge.middleware() : MiddlewareChain.NONE;
        this.depth = chain.size();
        this.afterDepth = chain.size();
        this.bridge = bridge;
        this.exchange = exchange;
        this.head = exchange.head();
        this.mount = match.mount();
        this.rest = match.rest();
        this.origin = origin;
        this.requestId = requestId;
        this.metrics = bridge.metrics();
        this.protocol = Labels.protocol(head.version());
    }

    @Override
    public void onData(ByteBuf chunk, boolean last) {
        chunk.release();
    }

    @Override
    public void onDisconnect() {
        gone = true;
    }

    @Override
    public void run() {
        long begun = System.nanoTime();
        metrics.requestStarted(protocol);
        int status = 500;
        boolean aborted = false;
        try {
            status = chain.isEmpty() ? answer() : answerThroughMiddleware();
        } catch (IOException | InterruptedException e) {
            aborted = true;
            LOG.trace("static response [{}] cut short: {}", requestId, e.toString());
            if (started) {
                exchange.abort(e);
            }
        } catch (RuntimeException e) {
            aborted = true;
            LOG.warn("static response [{}] for {} failed", requestId, head.target(), e);
            if (started) {
                exchange.abort(e);
            } else {
                send(500, Headers.of("content-length", "0"), Unpooled.EMPTY_BUFFER, true);
            }
        } finally {
            long nanos = System.nanoTime() - begun;
            metrics.bytesSent(protocol, bytesSent);
            metrics.requestEnded(Labels.method(head.method()), protocol, status, nanos, aborted);
            bridge.accessLog().log(origin.client(), head.method(), head.target(), head.version(), status, bytesSent,
                    nanos, requestId);
            if (!chain.isEmpty()) {
                chain.after(afterDepth, scope.orElseThrow(), MiddlewareChain.outcome(started ? status : 0, bytesSent,
                        nanos, aborted));
            }
            bridge.finished();
        }
    }

    /**
     * The middleware's before hooks, then the file unless one of them answered. A hook that throws gets the
     * {@code 500} of a failed static response; the app's exception hooks are for the app's exceptions.
     */
    private int answerThroughMiddleware() throws IOException, InterruptedException {
        Optional<MiddlewareChain.Early> early;
        try {
            early = chain.before(scope.orElseThrow(), i -> {
                depth = i;
                afterDepth = i + 1;
            });
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a middleware's before hook failed", e);
        }
        if (early.isPresent()) {
            Response r = early.get().response();
            depth = early.get().by();
            afterDepth = depth + 1;
            send(r.status(), r.headers(), r.body().length == 0 ? Unpooled.EMPTY_BUFFER
                    : Unpooled.wrappedBuffer(r.body()), true);
            bytesSent = r.body().length;
            return r.status();
        }
        depth = chain.size();
        afterDepth = chain.size();
        return answer();
    }

    private int answer() throws IOException, InterruptedException {
        boolean isHead = head.method().equals("HEAD");
        if (!isHead && !head.method().equals("GET")) {
            started = true;
            if (chain.isEmpty()) {
                bytesSent = HealthCheck.refuse(exchange, requestId);
            } else {
                byte[] body = HealthCheck.refusalBody();
                exchange.start(405, chain.responseStart(depth, scope.orElseThrow(), 405,
                        HealthCheck.refusal(requestId)), Unpooled.wrappedBuffer(body), true);
                bytesSent = body.length;
            }
            return 405;
        }
        return switch (StaticPath.resolve(mount, rest)) {
            case StaticPath.Missing missing -> {
                send(404, Headers.of("content-type", "text/plain; charset=utf-8", "content-length",
                        Integer.toString(NOT_FOUND.length)), Unpooled.wrappedBuffer(NOT_FOUND), true);
                bytesSent = NOT_FOUND.length;
                yield 404;
            }
            case StaticPath.Folder folder -> {
                String target = head.target();
                int query = target.indexOf('?');
                String location = query < 0 ? target + "/" : target.substring(0, query) + "/" + target.substring(query);
                send(301, Headers.of("location", location, "content-length", "0"), Unpooled.EMPTY_BUFFER, true);
                yield 301;
            }
            case StaticPath.File file -> serve(file, isHead);
        };
    }

    private int serve(StaticPath.File original, boolean isHead) throws IOException, InterruptedException {
        Path path = original.file();
        String type = ContentTypes.of(path.getFileName().toString());
        Map<Precompressed.Coding, StaticPath.File> siblings = siblings(original);
        Optional<Precompressed.Coding> coding = Optional.empty();
        StaticPath.File body = original;
        if (!siblings.isEmpty()) {
            for (Precompressed.Coding c : Precompressed.acceptable(String.join(",",
                    head.headers().all("accept-encoding")))) {
                if (siblings.containsKey(c)) {
                    coding = Optional.of(c);
                    body = siblings.get(c);
                    break;
                }
            }
        }
        long length = body.attributes().size();
        long modifiedSeconds = original.attributes().lastModifiedTime().toMillis() / 1000;
        String etag = "\"" + Long.toHexString(body.attributes().lastModifiedTime().to(TimeUnit.MICROSECONDS)) + "-"
                + Long.toHexString(length) + coding.map(c -> "-" + c.token()).orElse("") + "\"";
        var fields = Headers.builder()
                .add("etag", etag)
                .add("last-modified", HttpDate.format(modifiedSeconds * 1000));
        mount.cacheControl().ifPresent(v -> fields.add("cache-control", v));
        if (!siblings.isEmpty()) {
            fields.add("vary", "accept-encoding");
        }
        Headers validators = fields.build();

        Optional<String> ifMatch = joined("if-match");
        if (ifMatch.isPresent()) {
            if (!ifMatch.get().strip().equals("*") && !tags(ifMatch.get()).contains(etag)) {
                return precondition();
            }
        } else {
            Optional<Long> since = date("if-unmodified-since");
            if (since.isPresent() && modifiedSeconds > since.get()) {
                return precondition();
            }
        }
        Optional<String> ifNoneMatch = joined("if-none-match");
        if (ifNoneMatch.isPresent()) {
            // Weak comparison (RFC 9110 section 13.1.2): W/"x" matches "x".
            if (ifNoneMatch.get().strip().equals("*") || tags(ifNoneMatch.get()).stream()
                    .map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(etag::equals)) {
                send(304, validators, Unpooled.EMPTY_BUFFER, true);
                return 304;
            }
        } else {
            Optional<Long> since = date("if-modified-since");
            if (since.isPresent() && modifiedSeconds <= since.get()) {
                send(304, validators, Unpooled.EMPTY_BUFFER, true);
                return 304;
            }
        }

        var common = Headers.builder();
        validators.forEach(common::add);
        common.add("accept-ranges", "bytes").add("x-content-type-options", "nosniff");
        coding.ifPresent(c -> common.add("content-encoding", c.token()));

        ByteRanges.Asked asked = new ByteRanges.Whole();
        Optional<String> range = head.headers().first("range");
        // Range is defined for GET only (RFC 9110 section 14.2); a HEAD gets the whole file's fields.
        if (range.isPresent() && !isHead && ifRangeHolds(etag, modifiedSeconds)) {
            asked = ByteRanges.parse(range.get(), length);
        }
        switch (asked) {
            case ByteRanges.Unsatisfiable u -> {
                common.add("content-range", "bytes */" + length).add("content-length", "0");
                send(416, common.build(), Unpooled.EMPTY_BUFFER, true);
                return 416;
            }
            case ByteRanges.Some some when some.ranges().size() == 1 -> {
                ByteRanges.Range r = some.ranges().getFirst();
                common.add("content-type", type).add("content-range",
                        "bytes " + r.first() + "-" + r.last() + "/" + length).add("content-length",
                        Long.toString(r.length()));
                new Writer(common.build(), 206).file(body.file(), List.of(r), List.of(), new byte[0]);
                return 206;
            }
            case ByteRanges.Some some -> {
                String boundary = HexFormat.of().formatHex(randomBytes());
                List<byte[]> parts = new ArrayList<>();
                long total = 0;
                for (int i = 0; i < some.ranges().size(); i++) {
                    ByteRanges.Range r = some.ranges().get(i);
                    byte[] part = ((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\ncontent-type: " + type
                            + "\r\ncontent-range: bytes " + r.first() + "-" + r.last() + "/" + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    parts.add(part);
                    total += part.length + r.length();
                }
                byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
                total += end.length;
                common.add("content-type", "multipart/byteranges; boundary=" + boundary)
                        .add("content-length", Long.toString(total));
                new Writer(common.build(), 206).file(body.file(), some.ranges(), parts, end);
                return 206;
            }
            case ByteRanges.Whole w -> {
                common.add("content-type", type).add("content-length", Long.toString(length));
                if (isHead) {
                    send(200, common.build(), Unpooled.EMPTY_BUFFER, true);
                } else {
                    new Writer(common.build(), 200).file(body.file(),
                            length == 0 ? List.of() : List.of(new ByteRanges.Range(0, length - 1)), List.of(),
                            new byte[0]);
                }
                return 200;
            }
        }
    }

    private int precondition() {
        send(412, Headers.of("content-length", "0"), Unpooled.EMPTY_BUFFER, true);
        return 412;
    }

    /**
     * {@code If-Range} (RFC 9110 section 13.1.5): the ranges are sent only if the tag matches strongly (a weak tag
     * never does) or the date is exactly the file's {@code Last-Modified}; else the whole file is.
     */
    private boolean ifRangeHolds(String etag, long modifiedSeconds) {
        Optional<String> ifRange = head.headers().first("if-range").map(String::strip);
        if (ifRange.isEmpty()) {
            return true;
        }
        String v = ifRange.get();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        return parseDate(v).map(d -> d == modifiedSeconds).orElse(false);
    }

    private Optional<String> joined(String name) {
        List<String> values = head.headers().all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
    }

    private static List<String> tags(String list) {
        List<String> out = new ArrayList<>();
        for (String t : list.split(",")) {
            out.add(t.strip());
        }
        return out;
    }

    private Optional<Long> date(String name) {
        return head.headers().first(name).flatMap(StaticResponse::parseDate);
    }

    private static Optional<Long> parseDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), HTTP_DATE).toEpochSecond());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private Headers withOwn(Headers fields) {
        return bridge.altSvc().addTo(exchange.protocol(), fields).with(RequestIds.HEADER, requestId);
    }

    private void send(int status, Headers fields, ByteBuf body, boolean last) {
        started = true;
        Headers hooked = chain.isEmpty() ? fields : chain.responseStart(depth, scope.orElseThrow(), status, fields);
        exchange.start(status, withOwn(hooked), body, last);
    }

    /** @return the precompressed siblings of a file that may stand for it: inside the folder and no older */
    private Map<Precompressed.Coding, StaticPath.File> siblings(StaticPath.File original) {
        Map<Precompressed.Coding, StaticPath.File> found = new LinkedHashMap<>();
        Path path = original.file();
        for (Precompressed.Coding c : Precompressed.CODINGS) {
            if (StaticPath.regular(mount, path.resolveSibling(path.getFileName() + c.extension()))
                    instanceof StaticPath.File s
                    && s.attributes().lastModifiedTime().compareTo(original.attributes().lastModifiedTime()) >= 0) {
                found.put(c, s);
            }
        }
        return found;
    }

    /**
     * Writes a body made of ranges of one file, each after its part header, then a closing text: the bytes go out
     * in chunks of {@link #CHUNK}, the first with the response's head, each only when the exchange is writable.
     */
    private final class Writer {
        private final Headers fields;
        private final int status;
        private ByteBuf pending;

        Writer(Headers fields, int status) {
            this.fields = fields;
            this.status = status;
        }

        void file(Path file, List<ByteRanges.Range> ranges, List<byte[]> partHeads, byte[] end)
                throws IOException, InterruptedException {
            pending = ByteBufAllocator.DEFAULT.directBuffer(CHUNK);
            boolean zeroCopy = ZERO_COPY && exchange.sendsFileRegions();
            boolean ended = false;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                for (int i = 0; i < ranges.size(); i++) {
                    if (!partHeads.isEmpty()) {
                        bytes(partHeads.get(i));
                    }
                    ByteRanges.Range r = ranges.get(i);
                    if (zeroCopy && r.length() >= ZERO_COPY_MIN) {
                        // What is pending (the head, a part's header) goes first, then the file's bytes by sendfile.
                        if (!started || pending.isReadable()) {
                            emit(false);
                        }
                        awaitWritable(null);
                        boolean last = i == ranges.size() - 1 && end.length == 0;
                        bytesSent += r.length();
                        exchange.body(new DefaultFileRegion(file.toFile(), r.first(), r.length()), last);
                        ended = last;
                        continue;
                    }
                    long position = r.first();
                    long left = r.length();
                    while (left > 0) {
                        if (!pending.isWritable()) {
                            emit(false);
                        }
                        int n = (int) Math.min(left, pending.writableBytes());
                        int read = pending.writeBytes(channel, position, n);
                        if (read < 0) {
                            // The file shrank after its size was read: the length sent can no longer be met.
                            throw new IOException("file " + file + " shrank while it was sent");
                        }
                        position += read;
                        left -= read;
                    }
                }
                if (!ended) {
                    bytes(end);
                    emit(true);
                }
            } finally {
                if (pending != null) {
                    pending.release();
                    pending = null;
                }
            }
        }

        private void bytes(byte[] b) throws IOException, InterruptedException {
            int at = 0;
            while (at < b.length) {
                if (!pending.isWritable()) {
                    emit(false);
                }
                int n = Math.min(b.length - at, pending.writableBytes());
                pending.writeBytes(b, at, n);
                at += n;
            }
        }

        private void emit(boolean last) throws IOException, InterruptedException {
            ByteBuf out = pending;
            pending = last ? null : ByteBufAllocator.DEFAULT.directBuffer(CHUNK);
            bytesSent += out.readableBytes();
            if (!started) {
                send(status, fields, out, last);
            } else {
                awaitWritable(out);
                exchange.body(out, last);
            }
        }

        /** Waits until the exchange can take more; on failure releases {@code holding}, if any, and throws. */
        private void awaitWritable(ByteBuf holding) throws IOException, InterruptedException {
            if (gone) {
                release(holding);
                throw new IOException("client disconnected");
            }
            if (exchange.writable()) {
                return;
            }
            var ready = new CompletableFuture<Void>();
            exchange.whenWritable(() -> ready.complete(null));
            long timeout = bridge.config().timeouts().write().toNanos();
            try {
                ready.get(timeout, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                release(holding);
                throw new IOException("client did not read for " + bridge.config().timeouts().write().toSeconds()
                        + " s (--timeout-write)");
            } catch (ExecutionException e) {
                release(holding);
                throw new IOException("client disconnected", e.getCause());
            }
            if (gone) {
                release(holding);
                throw new IOException("client disconnected");
            }
        }

        private static void release(ByteBuf holding) {
            if (holding != null) {
                holding.release();
            }
        }
    }
}
