package dev.pounce.runtime.internal.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one worker slot, kept for as long as the server runs: a restarted worker and a rolling reload's
 * next generation count on in the same ones, so a restart never makes a counter go back. Recording takes no lock and
 * shares nothing with other slots: each value is a {@link LongAdder} of this slot's, which the slot's event loop and
 * the app threads of its requests add to, striped when they collide. They are read only when scraped
 * ({@link #collect}). Label values are indexes into fixed sets ({@link Labels}), so recording allocates nothing and
 * a client cannot grow the number of series.
 *
 * <p>{@link #OFF} records nothing: without {@code --metrics-path} the request path pays one branch per call.
 */
public final class WorkerMetrics {

    /** Upper bounds of the request-duration buckets, in nanoseconds: 1 ms to 10 s (the Python Pounce's and two more). */
    static final long[] BOUNDS = {1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            75_000_000L, 100_000_000L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L, 2_500_000_000L,
            5_000_000_000L, 7_500_000_000L, 10_000_000_000L};
    /** The same bounds as the text format writes them, then {@code +Inf}. */
    static final String[] LE = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5",
            "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"};

    /** Records nothing. */
    public static final WorkerMetrics OFF = new WorkerMetrics(false);

    private static final int METHODS = Labels.METHODS.size();
    private static final int CLASSES = Labels.STATUS_CLASSES.size();
    private static final int PROTOCOLS = Labels.PROTOCOLS.size();

    private final boolean on;
    /** By method, status class and protocol. */
    private final LongAdder[] requests;
    /** Requests per bucket, not cumulative: the bucket of each request's duration, the last for over 10 s. */
    private final LongAdder[] durations;
    private final LongAdder durationNanos;
    private final LongAdder inFlight;
    private final LongAdder[] aborted;
    private final LongAdder[] rejected;
    private final LongAdder[] bytesSent;
    private final LongAdder[] bytesReceived;
    private final LongAdder connectionsOpen;
    private final LongAdder connections;
    private final LongAdder[] streams;
    /** By protocol, accepted then denied. */
    private final LongAdder[] sessions;
    private final LongAdder sessionsOpen;
    private final LongAdder[] messages;
    private final LongAdder[] messageBytes;

    private WorkerMetrics(boolean on) {
        this.on = on;
        requests = adders(on ? METHODS * CLASSES * PROTOCOLS : 0);
        durations = adders(on ? LE.length : 0);
        durationNanos = on ? new LongAdder() : null;
        inFlight = on ? new LongAdder() : null;
        aborted = adders(on ? PROTOCOLS : 0);
        rejected = adders(on ? Labels.REASONS.size() : 0);
        bytesSent = adders(on ? PROTOCOLS : 0);
        bytesReceived = adders(on ? PROTOCOLS : 0);
        connectionsOpen = on ? new LongAdder() : null;
        connections = on ? new LongAdder() : null;
        streams = adders(on ? PROTOCOLS : 0);
        sessions = adders(on ? PROTOCOLS * 2 : 0);
        sessionsOpen = on ? new LongAdder() : null;
        messages = adders(on ? 2 : 0);
        messageBytes = adders(on ? 2 : 0);
    }

    /** @return a slot's counters, all zero */
    static WorkerMetrics recording() {
        return new WorkerMetrics(true);
    }

    private static LongAdder[] adders(int n) {
        var a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** @return whether anything is recorded, so a caller can skip work done only for a metric */
    public boolean on() {
        return on;
    }

    private static boolean multiplexed(int protocol) {
        return protocol == Labels.HTTP_2 || protocol == Labels.HTTP_3;
    }

    /**
     * An HTTP request was handed to its app.
     *
     * @param protocol {@link Labels#protocol}
     */
    public void requestStarted(int protocol) {
        if (on) {
            inFlight.increment();
            if (multiplexed(protocol)) {
                streams[protocol].increment();
            }
        }
    }

    /**
     * An HTTP request's app call is over.
     *
     * @param method   {@link Labels#method}
     * @param protocol {@link Labels#protocol}
     * @param status   the status sent, 0 if none was
     * @param nanos    its duration
     * @param aborted  whether the response was cut short or never sent
     */
    public void requestEnded(int method, int protocol, int status, long nanos, boolean aborted) {
        if (!on) {
            return;
        }
        inFlight.decrement();
        if (multiplexed(protocol)) {
            streams[protocol].decrement();
        }
        requests[(method * CLASSES + Labels.statusClass(status)) * PROTOCOLS + protocol].increment();
        int bucket = 0;
        while (bucket < BOUNDS.length && nanos > BOUNDS[bucket]) {
            bucket++;
        }
        durations[bucket].increment();
        durationNanos.add(nanos);
        if (aborted) {
            this.aborted[protocol].increment();
        }
    }

    /** @param protocol {@link Labels#protocol} @param bytes response body bytes the app sent */
    public void bytesSent(int protocol, long bytes) {
        if (on && bytes > 0) {
            bytesSent[protocol].add(bytes);
        }
    }

    /** @param protocol {@link Labels#protocol} @param bytes request body bytes delivered */
    public void bytesReceived(int protocol, long bytes) {
        if (on && bytes > 0) {
            bytesReceived[protocol].add(bytes);
        }
    }

    /** @param status the status a protocol answered bad input with */
    public void rejected(int status) {
        if (on) {
            rejected[Labels.reason(status)].increment();
        }
    }

    /** A connection was handed to its protocol. */
    public void connectionOpened() {
        if (on) {
            connections.increment();
            connectionsOpen.increment();
        }
    }

    /** A connection closed. */
    public void connectionClosed() {
        if (on) {
            connectionsOpen.decrement();
        }
    }

    /** A WebSocket handshake was handed to the app. @param protocol {@link Labels#protocol} */
    public void sessionOffered(int protocol) {
        if (on && multiplexed(protocol)) {
            streams[protocol].increment();
        }
    }

    /** The app accepted a WebSocket session. @param protocol {@link Labels#protocol} */
    public void sessionAccepted(int protocol) {
        if (on) {
            sessions[protocol * 2].increment();
            sessionsOpen.increment();
        }
    }

    /**
     * A WebSocket session is over: denied, or accepted and now ended.
     *
     * @param protocol {@link Labels#protocol}
     * @param accepted whether it had been accepted
     */
    public void sessionEnded(int protocol, boolean accepted) {
        if (!on) {
            return;
        }
        if (accepted) {
            sessionsOpen.decrement();
        } else {
            sessions[protocol * 2 + 1].increment();
        }
        if (multiplexed(protocol)) {
            streams[protocol].decrement();
        }
    }

    /** @param bytes a whole message's payload, received from the client */
    public void messageReceived(long bytes) {
        if (on) {
            messages[0].increment();
            messageBytes[0].add(bytes);
        }
    }

    /** @param bytes a whole message's payload, sent by the app */
    public void messageSent(long bytes) {
        if (on) {
            messages[1].increment();
            messageBytes[1].add(bytes);
        }
    }

    /**
     * Adds this slot's values to a scrape's.
     *
     * @param into the scrape's samples
     */
    void collect(Samples into) {
        if (!on) {
            return;
        }
        for (int m = 0; m < METHODS; m++) {
            for (int c = 0; c < CLASSES; c++) {
                for (int p = 0; p < PROTOCOLS; p++) {
                    long n = requests[(m * CLASSES + c) * PROTOCOLS + p].sum();
                    if (n > 0) {
                        into.add(Family.HTTP_REQUESTS, Labels.pair("method", Labels.METHODS.get(m)) + ','
                                + Labels.pair("status_class", Labels.STATUS_CLASSES.get(c)) + ','
                                + Labels.pair("protocol", Labels.PROTOCOLS.get(p)), n);
                    }
                }
            }
        }
        long count = 0;
        for (int b = 0; b < LE.length; b++) {
            count += durations[b].sum();
            into.add(Family.HTTP_REQUEST_DURATION, "", b, count);
        }
        into.add(Family.HTTP_REQUEST_DURATION, "", Samples.SUM, durationNanos.sum());
        into.add(Family.HTTP_REQUEST_DURATION, "", Samples.COUNT, count);
        into.add(Family.HTTP_REQUESTS_IN_FLIGHT, "", inFlight.sum());
        for (int p = 0; p < PROTOCOLS; p++) {
            String protocol = Labels.pair("protocol", Labels.PROTOCOLS.get(p));
            nonZero(into, Family.HTTP_REQUESTS_ABORTED, protocol, aborted[p]);
            nonZero(into, Family.HTTP_BYTES_SENT, protocol, bytesSent[p]);
            nonZero(into, Family.HTTP_BYTES_RECEIVED, protocol, bytesReceived[p]);
            nonZero(into, Family.WEBSOCKET_SESSIONS, protocol + ',' + Labels.pair("result", "accepted"),
                    sessions[p * 2]);
            nonZero(into, Family.WEBSOCKET_SESSIONS, protocol + ',' + Labels.pair("result", "denied"),
                    sessions[p * 2 + 1]);
            if (multiplexed(p)) {
                into.add(Family.HTTP_STREAMS_ACTIVE, protocol, streams[p].sum());
            }
        }
        for (int r = 0; r < rejected.length; r++) {
            nonZero(into, Family.HTTP_REQUESTS_REJECTED, Labels.pair("reason", Labels.REASONS.get(r)), rejected[r]);
        }
        into.add(Family.HTTP_CONNECTIONS_ACTIVE, "", connectionsOpen.sum());
        into.add(Family.HTTP_CONNECTIONS, "", connections.sum());
        into.add(Family.WEBSOCKET_SESSIONS_ACTIVE, "", sessionsOpen.sum());
        for (int d = 0; d < 2; d++) {
            String direction = Labels.pair("direction", Labels.DIRECTIONS.get(d));
            into.add(Family.WEBSOCKET_MESSAGES, direction, messages[d].sum());
            into.add(Family.WEBSOCKET_MESSAGE_BYTES, direction, messageBytes[d].sum());
        }
    }

    private static void nonZero(Samples into, Family family, String labels, LongAdder adder) {
        long n = adder.sum();
        if (n != 0) {
            into.add(family, labels, n);
        }
    }
}
