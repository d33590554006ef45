package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        if (!enabled) {
            return;
        }
        String line = conn.client().map(Endpoint::toString).orElse("unix") + " - \"" + method + ' ' + target
                + " HTTP/" + version + "\" " + status + ' ' + bytes + ' ' + String.format("%.1fms", nanos / 1e6)
                + ' ' + worker;
        if (status >= 500) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    /**
     * One line for a WebSocket session, when it ends: the handshake's status ({@code 101} on HTTP/1.1, {@code 200}
     * on HTTP/2 and 3, or the denial's), the bytes of the messages sent and how long the session lasted.
     */
    void session(ConnectionInfo conn, String method, String target, String version, int status, long bytes,
                 long nanos) {
        if (!enabled) {
            return;
        }
        String line = conn.client().map(Endpoint::toString).orElse("unix") + " - \"" + method + ' ' + target
                + " HTTP/" + version + "\" " + status + ' ' + bytes + ' ' + String.format("%.1fms", nanos / 1e6)
                + ' ' + worker + " websocket";
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
