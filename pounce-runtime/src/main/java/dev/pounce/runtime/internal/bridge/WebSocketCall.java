package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.Response;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Send;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.Labels;
import dev.pounce.runtime.internal.metrics.WorkerMetrics;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import dev.pounce.spi.WebSocketSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket session's app call (ASGI {@code websocket}): runs the app on its virtual thread, is at once its
 * {@link Receive} and {@link Send}, and the plugin's {@link WebSocketInbound}.
 *
 * <p>The order ASGI gives: the first receive is {@code Connect}; the app answers {@code Accept}, a denial response
 * ({@code DenialStart} and {@code DenialBody}), or {@code Close}, which before accepting is a {@code 403}. An app that
 * returns without answering gets {@code 403}, one that throws {@code 500}. After accepting, receives give whole
 * messages and then one {@code Disconnect} with the real close code; a send blocks while the peer is slow, up to the
 * write timeout. An app that returns without closing closes with 1000, one that throws with 1011. A receive that
 * finds nothing to take tells the plugin ({@link WebSocketSession#idle}) before it blocks.
 *
 * <p>One access-log line and one {@code RequestCompleted} event per session: for an accepted session once both the
 * app has returned and the plugin has reported the session's end ({@link #onEnded}), with its summary; for a denied
 * one when the app returns.
 *
 * <p>Inbound state is shared between the event loop and the app thread under one lock; outbound state is the app
 * thread's.
 */
final class WebSocketCall implements Runnable, WebSocketInbound, Receive, Send {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);
    /** A denial body the app streams is held until its last chunk; more than this is the app's mistake. */
    static final int MAX_DENIAL_BODY = 1 << 20;
    private static final WebSocketMessage.Connect CONNECT = new WebSocketMessage.Connect();

    private enum Out { CONNECTING, DENYING, OPEN, CLOSED }

    private sealed interface In {
        record Text(String text, int bytes) implements In { }

        record Binary(ByteBuf bytes) implements In { }
    }

    private final AppBridge bridge;
    private final WebSocketSession session;
    private final WebSocketScope scope;
    private final String requestId;
    private final long startNanos = System.nanoTime();
    private final WorkerMetrics metrics;
    /** The protocol's index among the metrics' labels. */
    private final int protocol;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<In> messages = new ArrayDeque<>();
    private WebSocketMessage.Disconnect disconnect;
    private boolean finished;
    /** Whether the app has returned from an accepted session, and the plugin's summary once the session ended. */
    private boolean returned;
    private Optional<WebSocketSummary> summary = Optional.empty();

    private boolean connectGiven;
    private Out out = Out.CONNECTING;
    private boolean accepted;
    private boolean failed;
    private int status;
    /** The denial body's bytes; an accepted session's come in its summary. */
    private long bytesSent;
    private WebSocketMessage.DenialStart denial;
    private ByteArrayOutputStream denialBody;

    WebSocketCall(AppBridge bridge, WebSocketSession session, WebSocketScope scope, String requestId) {
        this.bridge = bridge;
        this.session = session;
        this.scope = scope;
        this.requestId = requestId;
        this.metrics = bridge.metrics();
        this.protocol = Labels.protocol(scope.httpVersion());
        metrics.sessionOffered(protocol);
    }

    // ---- the plugin's side, on the event loop ----

    @Override
    public void onText(String text, int bytes) {
        if (offer(new In.Text(text, bytes))) {
            metrics.messageReceived(bytes);
        }
    }

    @Override
    public void onBinary(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (offer(new In.Binary(bytes))) {
            metrics.messageReceived(n);
        } else {
            bytes.release();
        }
    }

    private boolean offer(In message) {
        lock.lock();
        try {
            if (finished || disconnect != null) {
                return false;
            }
            messages.add(message);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onDisconnect(int code, String reason) {
        lock.lock();
        try {
            if (disconnect == null) {
                disconnect = new WebSocketMessage.Disconnect(code, reason);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onEnded(WebSocketSummary ended) {
        partDone(false, Optional.of(ended));
    }

    /** Records the app's return or the session's end; whichever comes second logs the session. */
    private void partDone(boolean appReturned, Optional<WebSocketSummary> ended) {
        Optional<WebSocketSummary> both;
        lock.lock();
        try {
            returned |= appReturned;
            summary = ended.or(() -> summary);
            both = returned ? summary : Optional.empty();
        } finally {
            lock.unlock();
        }
        both.ifPresent(s -> completed(Optional.of(s)));
    }

    // ---- the app's side, on its virtual thread ----

    @Override
    public Message receive() throws InterruptedException {
        if (!connectGiven) {
            connectGiven = true;
            return CONNECT;
        }
        In next;
        lock.lock();
        try {
            boolean told = false;
            while (true) {
                next = messages.poll();
                if (next != null) {
                    break;
                }
                if (disconnect != null) {
                    return disconnect;
                }
                if (!told) {
                    // Its sends before this receive have reached the plugin: a close it holds may go now.
                    told = true;
                    session.idle();
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
        return switch (next) {
            case In.Text t -> {
                session.consumed(t.bytes());
                yield new WebSocketMessage.Receive(Optional.of(t.text()), Optional.empty());
            }
            case In.Binary b -> {
                ByteBuf buf = b.bytes();
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                buf.release();
                session.consumed(bytes.length);
                yield new WebSocketMessage.Receive(Optional.empty(), Optional.of(bytes));
            }
        };
    }

    @Override
    public void send(Message message) throws IOException, InterruptedException {
        switch (message) {
            case WebSocketMessage.Accept a -> accept(a);
            case WebSocketMessage.Send s -> sendMessage(s);
            case WebSocketMessage.Close c -> close(c);
            case WebSocketMessage.DenialStart d -> denialStart(d);
            case WebSocketMessage.DenialBody b -> denialBody(b);
            case WebSocketMessage.Connect c -> throw new IllegalStateException(
                    "websocket.connect is sent by the server, not the app");
            case WebSocketMessage.Receive r -> throw new IllegalStateException(
                    "websocket.receive is sent by the server, not the app");
            case WebSocketMessage.Disconnect d -> throw new IllegalStateException(
                    "websocket.disconnect is sent by the server, not the app");
            case HttpMessage h -> throw new IllegalStateException("an HTTP message cannot answer a WebSocket session");
            case LifespanMessage l -> throw new IllegalStateException(
                    "a lifespan message cannot answer a WebSocket session");
        }
    }

    private void accept(WebSocketMessage.Accept a) throws IOException {
        if (out != Out.CONNECTING) {
            throw new IllegalStateException("websocket.accept must come first, once, before a denial or a close");
        }
        if (a.subprotocol().isPresent() && !scope.subprotocols().contains(a.subprotocol().get())) {
            throw new IllegalStateException("websocket.accept chose the subprotocol '" + a.subprotocol().get()
                    + "', which the client did not offer (it offered " + scope.subprotocols() + ")");
        }
        checkConnected();
        out = Out.OPEN;
        status = scope.httpVersion().equals("1.1") ? 101 : 200;
        session.accept(a.subprotocol(), withRequestId(a.headers()));
        accepted = true;
        metrics.sessionAccepted(protocol);
    }

    private void sendMessage(WebSocketMessage.Send s) throws IOException, InterruptedException {
        if (out != Out.OPEN) {
            throw new IllegalStateException(out == Out.CLOSED ? "the WebSocket is closed"
                    : "websocket.send before websocket.accept");
        }
        checkConnected();
        awaitWritable();
        if (s.text().isPresent()) {
            String text = s.text().get();
            session.sendText(text);
            if (metrics.on()) {
                metrics.messageSent(utf8Length(text));
            }
        } else {
            byte[] bytes = s.bytes().orElseThrow();
            session.sendBinary(Unpooled.wrappedBuffer(bytes));
            metrics.messageSent(bytes.length);
        }
    }

    /** @return the bytes of the text in UTF-8, as the plugin sends it, without encoding it */
    static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void close(WebSocketMessage.Close c) {
        switch (out) {
            case CONNECTING -> deny(403, Headers.empty(), HttpMessage.EMPTY);
            case OPEN -> {
                out = Out.CLOSED;
                session.close(c.code(), c.reason());
            }
            case DENYING -> throw new IllegalStateException("websocket.close during a denial response");
            case CLOSED -> { }
        }
    }

    private void denialStart(WebSocketMessage.DenialStart d) {
        if (out != Out.CONNECTING) {
            throw new IllegalStateException("a denial response must come before websocket.accept, once");
        }
        out = Out.DENYING;
        denial = d;
        denialBody = new ByteArrayOutputStream();
    }

    private void denialBody(WebSocketMessage.DenialBody b) {
        if (out != Out.DENYING) {
            throw new IllegalStateException("websocket.http.response.body needs websocket.http.response.start first");
        }
        if (denialBody.size() + b.body().length > MAX_DENIAL_BODY) {
            throw new IllegalStateException("a denial response body may have at most " + MAX_DENIAL_BODY + " bytes");
        }
        denialBody.writeBytes(b.body());
        if (!b.more()) {
            deny(denial.status(), denial.headers(), denialBody.toByteArray());
        }
    }

    private void deny(int code, Headers headers, byte[] body) {
        out = Out.CLOSED;
        status = code;
        bytesSent = body.length;
        var fields = Headers.builder();
        headers.forEach(fields::add);
        if (headers.first("content-type").isEmpty() && body.length > 0) {
            fields.add("content-type", "text/plain; charset=utf-8");
        }
        session.deny(code, withRequestId(fields.build()), Unpooled.wrappedBuffer(body));
    }

    /** @return the fields with {@code x-request-id}, unless the app set it */
    private Headers withRequestId(Headers headers) {
        return headers.contains(RequestIds.HEADER) ? headers : headers.with(RequestIds.HEADER, requestId);
    }

    private void checkConnected() throws IOException {
        lock.lock();
        try {
            if (disconnect != null) {
                throw new IOException("client disconnected (" + disconnect.code() + ")");
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitWritable() throws IOException, InterruptedException {
        if (session.writable()) {
            return;
        }
        var ready = new CompletableFuture<Void>();
        session.whenWritable(() -> ready.complete(null));
        long timeout = bridge.config().timeouts().write().toNanos();
        try {
            ready.get(timeout, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            out = Out.CLOSED;
            session.close(1008, "write timeout");
            throw new IOException("client did not read for " + bridge.config().timeouts().write().toSeconds()
                    + " s (--timeout-write)");
        } catch (ExecutionException e) {
            throw new IOException("client disconnected", e.getCause());
        }
        checkConnected();
    }

    // ---- the whole call ----

    @Override
    public void run() {
        Throwable failure = null;
        try {
            // A middleware may deny the handshake (the built-in CORS, for an origin it does not allow).
            Optional<Response> denial = bridge.middleware().isEmpty() ? Optional.empty()
                    : bridge.middleware().beforeWebSocket(scope);
            if (denial.isPresent()) {
                deny(denial.get().status(), denial.get().headers(), denial.get().body());
            } else {
                bridge.app().call(scope, this, this);
            }
        } catch (Throwable t) {
            failure = t;
        }
        failed = failure != null;
        try {
            settle(failure);
        } finally {
            releaseInput();
            bridge.finished();
            if (accepted) {
                partDone(true, Optional.empty());
            } else {
                completed(Optional.empty());
            }
        }
    }

    /**
     * Logs the session and publishes its event, once: when the app returns from a denied session, or the later of
     * its return and the session's end.
     *
     * @param ended the summary of an accepted session, empty for a denied one
     */
    private void completed(Optional<WebSocketSummary> ended) {
        long nanos = System.nanoTime() - startNanos;
        metrics.sessionEnded(protocol, ended.isPresent());
        long bytes = ended.map(WebSocketSummary::bytesOut).orElse(bytesSent);
        String method = scope.httpVersion().equals("1.1") ? "GET" : "CONNECT";
        // The target as the client sent it, as for an HTTP request's line.
        String target = session.head().target();
        bridge.accessLog().session(scope.client(), method, target, scope.httpVersion(), status, bytes,
                nanos, requestId, ended);
        if (bridge.events().active()) {
            bridge.events().publish(new LifecycleEvent.RequestCompleted(scope.worker(), session.connection().id(),
                    method, scope.rawPath(), scope.httpVersion(), status, bytes, nanos, scope.client(), failed));
        }
    }

    /** Ends the session whatever the app did. */
    private void settle(Throwable failure) {
        boolean gone;
        lock.lock();
        try {
            gone = disconnect != null;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            if (gone && failure instanceof IOException) {
                LOG.debug("websocket {} [{}]: client went away ({})", scope.rawPath(), requestId,
                        failure.getMessage());
            } else {
                LOG.error("app failed on websocket {} [{}] (worker {})", scope.rawPath(), requestId,
                        scope.worker().id(), failure);
            }
        }
        switch (out) {
            case CONNECTING, DENYING -> {
                if (!gone) {
                    deny(failure == null ? 403 : 500, Headers.empty(), HttpMessage.EMPTY);
                }
            }
            case OPEN -> {
                out = Out.CLOSED;
                if (!gone) {
                    session.close(failure == null ? 1000 : 1011, "");
                }
            }
            case CLOSED -> { }
        }
    }

    private void releaseInput() {
        lock.lock();
        try {
            finished = true;
            In m;
            while ((m = messages.poll()) != null) {
                if (m instanceof In.Binary b) {
                    b.bytes().release();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
