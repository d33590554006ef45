package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Response;
import dev.pounce.api.Send;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.runtime.internal.compress.CompressingSend;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.Labels;
import dev.pounce.runtime.internal.metrics.WorkerMetrics;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request's app call: runs the app on its virtual thread, and is at once the app's {@link Receive} and
 * {@link Send} and the protocol's {@link RequestBodySink}.
 *
 * <p>Inbound state (queued body chunks, disconnect) is shared between the event loop and the app thread under one
 * per-request lock; outbound state is touched by the app thread only.
 */
final class HttpCall implements Runnable, RequestBodySink, Receive, Send {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);
    private static final byte[] ERROR_BODY = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);
    private static final Headers ERROR_HEADERS = Headers.of("content-type", "text/plain; charset=utf-8",
            "content-length", Integer.toString(ERROR_BODY.length));
    private static final HttpMessage.Disconnect DISCONNECT = new HttpMessage.Disconnect();

    private record Chunk(ByteBuf bytes, boolean last) {
    }

    /** Where the response stands; the app thread's alone. */
    private enum Out { IDLE, HELD, STARTED, AWAITING_TRAILERS, DONE }

    private final AppBridge bridge;
    private final HttpExchange exchange;
    private final HttpScope scope;
    private final String requestId;
    private final WorkerMetrics metrics;
    /** The middleware around the app; {@link MiddlewareChain#NONE} when there is none. */
    private final MiddlewareChain chain;
    /** How many middleware, from the outermost, see the response start: all of them unless one answered early. */
    private int depth;
    /** How many middleware the request went through, whose after hooks run. */
    private int afterDepth;
    /** The protocol's index among the metrics' labels. */
    private final int protocol;
    /** When the request was dispatched: on the event loop, before the app's thread starts. */
    private final long startNanos = System.nanoTime();
    /** When the app sent its response start, for {@code Server-Timing}. */
    private long startSentNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>(2);
    private boolean bodyDone;
    private boolean disconnected;
    private boolean responseDone;
    private boolean closedForInput;

    private Out out = Out.IDLE;
    private HttpMessage.ResponseStart held;
    private Headers trailers = Headers.empty();
    private int status;
    private long bytesSent;
    private boolean askedForBody;

    HttpCall(AppBridge bridge, HttpExchange exchange, HttpScope scope, String requestId) {
        this.bridge = bridge;
        this.exchange = exchange;
        this.scope = scope;
        this.requestId = requestId;
        this.metrics = bridge.metrics();
        this.protocol = Labels.protocol(scope.httpVersion());
        this.chain = bridge.middleware();
        this.depth = chain.size();
        this.afterDepth = chain.size();
    }

    // ---- the protocol's side, on the event loop ----

    @Override
    public void onData(ByteBuf chunk, boolean last) {
        lock.lock();
        try {
            if (closedForInput || disconnected) {
                chunk.release();
                return;
            }
            metrics.bytesReceived(protocol, chunk.readableBytes());
            chunks.add(new Chunk(chunk, last));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onDisconnect() {
        lock.lock();
        try {
            disconnected = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- the app's side, on its virtual thread ----

    @Override
    public Message receive() throws InterruptedException {
        if (!askedForBody) {
            askedForBody = true;
            exchange.requestBody();
        }
        Chunk chunk;
        lock.lock();
        try {
            while (true) {
                if (disconnected) {
                    return DISCONNECT;
                }
                chunk = chunks.poll();
                if (chunk != null) {
                    if (chunk.last()) {
                        bodyDone = true;
                    }
                    break;
                }
                // After the body, a receive waits for the end: the client leaving, or the response being over.
                if (bodyDone && responseDone) {
                    return DISCONNECT;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
        ByteBuf bytes = chunk.bytes();
        int n = bytes.readableBytes();
        byte[] body = n == 0 ? HttpMessage.EMPTY : new byte[n];
        bytes.readBytes(body);
        bytes.release();
        if (n > 0) {
            exchange.consumed(n);
        }
        return new HttpMessage.Request(body, !chunk.last());
    }

    @Override
    public void send(Message message) throws IOException, InterruptedException {
        switch (message) {
            case HttpMessage.ResponseStart start -> start(start);
            case HttpMessage.ResponseBody body -> body(body);
            case HttpMessage.Trailers t -> trailers(t);
            case HttpMessage.Request r -> throw new IllegalStateException("http.request is sent by the server, not the app");
            case HttpMessage.Disconnect d -> throw new IllegalStateException("http.disconnect is sent by the server, not the app");
            case WebSocketMessage w -> throw new IllegalStateException("a WebSocket message cannot answer an HTTP request");
            case LifespanMessage l -> throw new IllegalStateException("a lifespan message cannot answer an HTTP request");
        }
    }

    private void start(HttpMessage.ResponseStart start) throws IOException {
        if (start.status() < 200 && start.status() != 101) {
            if (out != Out.IDLE) {
                throw new IllegalStateException("an informational response must come before the response start");
            }
            checkConnected();
            exchange.informational(start.status(), start.headers());
            return;
        }
        if (out != Out.IDLE) {
            throw new IllegalStateException("http.response.start was already sent");
        }
        held = start;
        startSentNanos = System.nanoTime();
        out = Out.HELD;
    }

    private void body(HttpMessage.ResponseBody body) throws IOException, InterruptedException {
        switch (out) {
            case IDLE -> throw new IllegalStateException("http.response.body sent before http.response.start");
            case AWAITING_TRAILERS, DONE -> throw new IllegalStateException("the response body is already complete");
            case HELD, STARTED -> { }
        }
        checkConnected();
        awaitWritable();
        byte[] bytes = body.body();
        ByteBuf buf = bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        boolean end = !body.more() && !held.trailers();
        if (out == Out.HELD) {
            status = held.status();
            exchange.start(held.status(), responseHeaders(held.status(), held.headers()), buf, end);
            out = Out.STARTED;
        } else {
            exchange.body(buf, end);
        }
        bytesSent += bytes.length;
        metrics.bytesSent(protocol, bytes.length);
        if (!body.more()) {
            if (held.trailers()) {
                out = Out.AWAITING_TRAILERS;
            } else {
                responseDone();
            }
        }
    }

    private void trailers(HttpMessage.Trailers t) throws IOException {
        if (held == null || !held.trailers()) {
            throw new IllegalStateException("http.response.trailers needs trailers=true in the response start");
        }
        if (out != Out.AWAITING_TRAILERS) {
            throw new IllegalStateException("http.response.trailers must follow the last body chunk");
        }
        checkConnected();
        var all = Headers.builder();
        trailers.forEach(all::add);
        t.headers().forEach(all::add);
        trailers = all.build();
        if (!t.more()) {
            exchange.trailers(trailers);
            responseDone();
        }
    }

    /**
     * The app's fields as the middleware's response-start hooks leave them, and the server's: other protocols'
     * {@code Alt-Svc}; {@code x-request-id}, unless the app set it; {@code Server-Timing} with the app's time to its
     * response start, when asked for (a list field, so the app's own entries stay).
     */
    private Headers responseHeaders(int status, Headers app) {
        Headers hooked = chain.isEmpty() ? app : chain.responseStart(depth, scope, status, app);
        Headers fields = bridge.altSvc().addTo(exchange.protocol(), hooked);
        if (!fields.contains(RequestIds.HEADER)) {
            fields = fields.with(RequestIds.HEADER, requestId);
        }
        if (bridge.config().serverTiming()) {
            long sent = startSentNanos == 0 ? System.nanoTime() : startSentNanos;
            fields = fields.with("server-timing", "app;dur=" + Millis.of(sent - startNanos, 3));
        }
        return fields;
    }

    private void checkConnected() throws IOException {
        lock.lock();
        try {
            if (disconnected) {
                throw new IOException("client disconnected");
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitWritable() throws IOException, InterruptedException {
        if (exchange.writable()) {
            return;
        }
        var ready = new CompletableFuture<Void>();
        exchange.whenWritable(() -> ready.complete(null));
        long timeout = bridge.config().timeouts().write().toNanos();
        try {
            ready.get(timeout, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            var cause = new IOException("client did not read for "
                    + bridge.config().timeouts().write().toSeconds() + " s (--timeout-write)");
            exchange.abort(cause);
            onDisconnect();
            throw cause;
        } catch (ExecutionException e) {
            throw new IOException("client disconnected", e.getCause());
        }
        checkConnected();
    }

    private void responseDone() {
        out = Out.DONE;
        lock.lock();
        try {
            responseDone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- the whole call ----

    @Override
    public void run() {
        // Here, not when the call is made: a call queued by --limit-concurrency and then refused never runs.
        metrics.requestStarted(protocol);
        Throwable failure = null;
        // With compression on, the app sends through a decorator that encodes its body (internal.compress).
        Send send = bridge.compression().isPresent() ? bridge.compression().get().wrap(scope, this) : this;
        try {
            if (chain.isEmpty()) {
                bridge.app().call(scope, this, send);
            } else {
                callThroughMiddleware(send);
            }
        } catch (Throwable t) {
            failure = t;
        }
        if (send instanceof CompressingSend compressing) {
            try {
                compressing.end(failure == null);
            } catch (Throwable t) {
                failure = failure == null ? t : failure;
            }
        }
        boolean aborted = false;
        try {
            aborted = settle(failure);
        } finally {
            releaseInput();
            bridge.finished();
            long nanos = System.nanoTime() - startNanos;
            metrics.requestEnded(Labels.method(scope.method()), protocol, status, nanos, aborted);
            String target = exchange.head().target();
            bridge.accessLog().log(scope.client(), scope.method(), target, scope.httpVersion(), status,
                    bytesSent, nanos, requestId);
            if (!chain.isEmpty()) {
                chain.after(afterDepth, scope, MiddlewareChain.outcome(status, bytesSent, nanos, aborted));
            }
            if (bridge.events().active()) {
                bridge.events().publish(new LifecycleEvent.RequestCompleted(scope.worker(),
                        exchange.connection().id(), scope.method(), scope.rawPath(), scope.httpVersion(), status,
                        bytesSent, nanos, scope.client(), aborted));
            }
        }
    }

    /**
     * The before hooks, outermost first, then the app unless one of them answered; an early answer is sent here,
     * through the response-start hooks of the middleware outside the one that gave it.
     */
    private void callThroughMiddleware(Send send) throws Exception {
        Optional<MiddlewareChain.Early> early = chain.before(scope, i -> {
            depth = i;
            afterDepth = i + 1;
        });
        if (early.isPresent()) {
            depth = early.get().by();
            afterDepth = depth + 1;
            sendWhole(early.get().response());
            return;
        }
        depth = chain.size();
        afterDepth = chain.size();
        bridge.app().call(scope, this, send);
    }

    /** Sends a whole response made by a middleware, in one piece. */
    private void sendWhole(Response response) {
        byte[] body = response.body();
        status = response.status();
        bytesSent = body.length;
        metrics.bytesSent(protocol, body.length);
        startSentNanos = System.nanoTime();
        exchange.start(status, responseHeaders(status, response.headers()),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), true);
        out = Out.DONE;
    }

    /** Ends the response whatever the app did; returns whether it was cut short. */
    private boolean settle(Throwable failure) {
        boolean gone;
        lock.lock();
        try {
            gone = disconnected;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            logFailure(failure, gone);
            if (gone) {
                return true;
            }
            if (out == Out.IDLE || out == Out.HELD) {
                Optional<Response> replacement = chain.isEmpty() ? Optional.empty()
                        : chain.exception(scope, failure);
                if (replacement.isPresent()) {
                    sendWhole(replacement.get());
                } else {
                    sendError();
                }
                return false;
            }
            if (out != Out.DONE) {
                exchange.abort(failure);
                return true;
            }
            return false;
        }
        switch (out) {
            case DONE -> {
                return false;
            }
            case HELD -> {
                // A start with no body at all (204, a redirect): end the response with it.
                if (!gone) {
                    status = held.status();
                    exchange.start(held.status(), responseHeaders(held.status(), held.headers()),
                            Unpooled.EMPTY_BUFFER, true);
                }
                out = Out.DONE;
                return gone;
            }
            case IDLE -> {
                if (!gone) {
                    LOG.error("app returned without a response to {} {} [{}] on worker {}", scope.method(),
                            scope.rawPath(), requestId, scope.worker().id());
                    sendError();
                }
                return true;
            }
            case STARTED, AWAITING_TRAILERS -> {
                if (!gone) {
                    LOG.warn("app returned before finishing its response to {} {} [{}]; the response is cut short",
                            scope.method(), scope.rawPath(), requestId);
                    exchange.abort(new IllegalStateException("response not finished"));
                }
                return true;
            }
        }
        return true;
    }

    private void sendError() {
        // Server-Timing then tells how long the app ran before it failed.
        startSentNanos = System.nanoTime();
        status = 500;
        bytesSent = ERROR_BODY.length;
        metrics.bytesSent(protocol, ERROR_BODY.length);
        exchange.start(500, responseHeaders(500, ERROR_HEADERS), Unpooled.wrappedBuffer(ERROR_BODY), true);
        out = Out.DONE;
    }

    private void logFailure(Throwable failure, boolean clientGone) {
        if (clientGone && failure instanceof IOException) {
            // The client left and the app's next send said so: an ordinary end, not an app bug.
            LOG.debug("{} {} [{}]: client went away ({})", scope.method(), scope.rawPath(), requestId,
                    failure.getMessage());
        } else {
            LOG.error("app failed on {} {} [{}] (worker {})", scope.method(), scope.rawPath(), requestId,
                    scope.worker().id(), failure);
        }
    }

    private void releaseInput() {
        lock.lock();
        try {
            closedForInput = true;
            responseDone = true;
            Chunk c;
            while ((c = chunks.poll()) != null) {
                c.bytes().release();
            }
        } finally {
            lock.unlock();
        }
    }
}
