package dev.pounce.h2;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The request-body timeout of one connection's streams ({@code timeouts().requestBody()}): it bounds each wait for
 * body progress, and counts only while the server waits for the client. A stream is timed while its exchange wants
 * more body ({@link StreamExchange#awaitsBody}) and the client may send DATA on it, that is, both the stream's and
 * the connection's receive windows are open. A window stays shut until the app consumes, so an app slow to read
 * never gets its client timed out. Each DATA frame that carries bytes starts the wait again; so does the opening of
 * the connection window, since before it no stream's client could send.
 *
 * <p>One scheduled check per connection, due at the earliest deadline, and none while no stream is timed. Every
 * deadline is "now plus the same timeout", so a check already due is never late for a new one; arming is a field
 * write. Event loop only.
 */
final class RequestBodyTimer {

    private final Http2Connection connection;
    private final Http2LocalFlowController flow;
    private final Http2Connection.PropertyKey exchangeKey;
    private final EventExecutor executor;
    private final long timeout;
    private final Consumer<StreamExchange> onExpiry;
    private final Runnable checkTask = this::check;

    private ScheduledFuture<?> check;
    private long checkAt;
    private int timed;
    private boolean connectionWindowShut;

    /**
     * @param exchangeKey where each stream keeps its {@link StreamExchange}
     * @param onExpiry    answers or resets a stream whose wait ran out; it is no longer timed by then
     */
    RequestBodyTimer(Http2Connection connection, Http2LocalFlowController flow, Http2Connection.PropertyKey exchangeKey,
                     EventExecutor executor, Duration timeout, Consumer<StreamExchange> onExpiry) {
        this.connection = connection;
        this.flow = flow;
        this.exchangeKey = exchangeKey;
        this.executor = executor;
        this.timeout = timeout.toNanos();
        this.onExpiry = onExpiry;
    }

    /**
     * Times the exchange if it waits for its client now, or stops timing it if not.
     *
     * @param progress whether the client just sent body bytes (or ended the body), so a running wait starts again
     */
    void watch(StreamExchange ex, boolean progress) {
        if (!ex.awaitsBody() || !clientMaySend(ex.stream())) {
            stop(ex);
            return;
        }
        if (progress || !ex.bodyTimed) {
            if (!ex.bodyTimed) {
                ex.bodyTimed = true;
                timed++;
            }
            ex.bodyDeadline = now() + timeout;
            checkBy(ex.bodyDeadline);
        }
    }

    /** Stops timing the exchange: its stream ended, or the connection answered it. */
    void stop(StreamExchange ex) {
        if (ex.bodyTimed) {
            ex.bodyTimed = false;
            if (--timed == 0) {
                cancel();
            }
        }
    }

    /**
     * Called after anything that may have moved the connection's receive window: DATA read, bytes consumed, a
     * stream closed (Netty returns its unconsumed bytes). A shut window stops every wait; its opening starts them.
     */
    void connectionWindowMoved() {
        boolean shut = flow.windowSize(connection.connectionStream()) <= 0;
        if (shut != connectionWindowShut) {
            connectionWindowShut = shut;
            forEachExchange(ex -> watch(ex, !shut));
        }
    }

    /** Our SETTINGS were acknowledged; a new SETTINGS_INITIAL_WINDOW_SIZE moved every stream's window. */
    void settingsApplied() {
        forEachExchange(ex -> watch(ex, false));
        connectionWindowMoved();
    }

    /** The connection is going: no check is left behind. */
    void close() {
        timed = 0;
        cancel();
    }

    private boolean clientMaySend(Http2Stream stream) {
        return flow.windowSize(stream) > 0 && flow.windowSize(connection.connectionStream()) > 0;
    }

    private void check() {
        check = null;
        // DATA on a stream Netty ignores (already reset) can shut the connection window unseen; look once more.
        connectionWindowMoved();
        long now = now();
        List<StreamExchange> due = new ArrayList<>(1);
        long[] next = {Long.MAX_VALUE};
        int[] count = {0};
        forEachExchange(ex -> {
            if (!ex.bodyTimed) {
                return;
            }
            if (!ex.awaitsBody() || !clientMaySend(ex.stream())) {
                ex.bodyTimed = false;
            } else if (ex.bodyDeadline - now <= 0) {
                ex.bodyTimed = false;
                due.add(ex);
            } else {
                count[0]++;
                next[0] = Math.min(next[0], ex.bodyDeadline);
            }
        });
        // Counted afresh: an exchange replaced on its stream while timed must not keep the check alive.
        timed = count[0];
        if (timed > 0) {
            checkBy(next[0]);
        } else {
            cancel();
        }
        for (StreamExchange ex : due) {
            onExpiry.accept(ex);
        }
    }

    private void checkBy(long deadline) {
        if (check != null && checkAt - deadline <= 0) {
            return;
        }
        cancel();
        checkAt = deadline;
        check = executor.schedule(checkTask, Math.max(0, deadline - now()), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void forEachExchange(Consumer<StreamExchange> action) {
        try {
            connection.forEachActiveStream(stream -> {
                if (stream.getProperty(exchangeKey) instanceof StreamExchange ex) {
                    action.accept(ex);
                }
                return true;
            });
        } catch (Http2Exception e) {
            // Only the visitor could throw, and ours does not.
            throw new IllegalStateException(e);
        }
    }

    private long now() {
        return executor.ticker().nanoTime();
    }
}
