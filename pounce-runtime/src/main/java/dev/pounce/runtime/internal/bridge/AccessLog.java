package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.WebSocketSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Writes one line per response on the {@code pounce.access} logger, in the Pounce text format:
 * {@code client - "METHOD target HTTP/version" status bytes 1.2ms w0}. 5xx lines are logged at WARN.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.ACCESS);

    private final boolean enabled;
    private final String worker;

    AccessLog(boolean enabled, WorkerIdentity worker) {
        this.enabled = enabled && LOG.isInfoEnabled();
        // Late arrivals of a shutdown are answered by the server's own loop, not by a worker.
        this.worker = worker.id() < 0 ? "drain" : "w" + worker.id();
    }

    boolean enabled() {
        return enabled;
    }

    void log(ConnectionInfo conn, String method, String target, String version, int status, long bytes,
             long nanos) {
        if (enabled) {
            write(status, line(conn, method, target, version, status, bytes, nanos));
        }
    }

    /**
     * One line for a WebSocket session, when it is over: the handshake's status ({@code 101} on HTTP/1.1, {@code 200}
     * on HTTP/2 and 3, or the denial's), the bytes sent, how long the session lasted, and for an accepted session
     * its messages and their bytes each way and the close code:
     * {@code ... 101 5 1.2ms w0 websocket in=1/5 out=1/5 close=1000}.
     *
     * @param summary what an accepted session carried; empty for a denied one
     */
    void session(ConnectionInfo conn, String method, String target, String version, int status, long bytes,
                 long nanos, Optional<WebSocketSummary> summary) {
        if (enabled) {
            write(status, sessionLine(conn, method, target, version, status, bytes, nanos, summary));
        }
    }

    /** @return the line {@link #session} writes */
    String sessionLine(ConnectionInfo conn, String method, String target, String version, int status, long bytes,
                       long nanos, Optional<WebSocketSummary> summary) {
        return line(conn, method, target, version, status, bytes, nanos) + " websocket" + summary.map(s -> " in="
                + s.messagesIn() + '/' + s.bytesIn() + " out=" + s.messagesOut() + '/' + s.bytesOut() + " close="
                + s.closeCode()).orElse("");
    }

    private String line(ConnectionInfo conn, String method, String target, String version, int status, long bytes,
                        long nanos) {
        return conn.client().map(Endpoint::toString).orElse("unix") + " - \"" + method + ' ' + target + " HTTP/"
                + version + "\" " + status + ' ' + bytes + ' ' + String.format("%.1fms", nanos / 1e6) + ' ' + worker;
    }

    private static void write(int status, String line) {
        if (status >= 500) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    void rejected(ConnectionInfo conn, int status, String reason) {
        if (enabled) {
            LOG.info("{} - \"-\" {} 0 - {} ({})", conn.client().map(Endpoint::toString).orElse("unix"), status,
                    worker, reason);
        }
    }
}
