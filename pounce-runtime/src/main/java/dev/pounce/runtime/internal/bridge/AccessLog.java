package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.WebSocketSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One line per response, per WebSocket session (at its end) and per request a protocol rejected, with the method,
 * target, protocol, status, bytes sent, duration, client, request id and worker. 5xx lines are at WARN, the rest at
 * INFO. Health probes are not logged.
 *
 * <p>{@code --access-log-format text} (the default) logs through SLF4J on {@code pounce.access}, in the Python
 * Pounce's text format: {@code client - "METHOD target HTTP/version" status bytes 1.2ms [request-id] w0}.
 *
 * <p>{@code json} writes one JSON object per line on standard output, with the Python Pounce's keys and a few more:
 * {@code ts, level, method, path, query, status, bytes, duration_ms, protocol, client, req_id, worker} (and for a
 * WebSocket session {@code websocket, messages_in, bytes_in, messages_out, bytes_out, close}; for a rejection
 * {@code reason}). It does not go through SLF4J because every SLF4J backend puts its own prefix before the message,
 * and then {@code jq} could not read the line; on standard output, apart from the server's other log lines (which go
 * to standard error), {@code pounce ... | jq} works. The {@code pounce.access} logger's level still switches it: off,
 * nothing; WARN, only 5xx. Each line is written whole in one call, so lines of different threads never mix.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.ACCESS);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean info;
    private final boolean warn;
    private final boolean json;
    /** {@code w0}, or {@code drain} for the late arrivals of a shutdown, which the server's own loop answers. */
    private final String worker;
    /** The worker's slot in JSON: a number, or {@code null} for the late arrivals. */
    private final String workerJson;

    /**
     * @param enabled whether to log at all ({@code --[no-]access-log})
     * @param format  {@code text} or {@code json}
     * @param worker  the worker logging, or {@link DrainBridge#SERVER}
     */
    AccessLog(boolean enabled, String format, WorkerIdentity worker) {
        this.info = enabled && LOG.isInfoEnabled();
        this.warn = enabled && LOG.isWarnEnabled();
        this.json = format.equals("json");
        this.worker = worker.id() < 0 ? "drain" : "w" + worker.id();
        this.workerJson = worker.id() < 0 ? "null" : Integer.toString(worker.id());
    }

    /** @return whether any line is written */
    boolean enabled() {
        return info || warn;
    }

    /** @return whether a line with this status is written */
    private boolean enabled(int status) {
        return status >= 500 ? warn : info;
    }

    /**
     * One HTTP request's line, once its response is over.
     *
     * @param client the client as believed ({@link RequestOrigin#client}): a trusted proxy's client, else the peer
     */
    void log(Optional<Endpoint> client, String method, String target, String version, int status, long bytes, long nanos,
             String requestId) {
        if (enabled(status)) {
            write(status, json ? jsonLine(client, method, target, version, status, bytes, nanos, requestId, null, null)
                    : line(client, method, target, version, status, bytes, nanos, requestId));
        }
    }

    /**
     * One line for a WebSocket session, when it is over: the handshake's status ({@code 101} on HTTP/1.1, {@code 200}
     * on HTTP/2 and 3, or the denial's), the bytes sent, how long the session lasted, and for an accepted session
     * its messages and their bytes each way and the close code:
     * {@code ... 101 5 1.2ms [id] w0 websocket in=1/5 out=1/5 close=1000}.
     *
     * @param client  the client as believed ({@link RequestOrigin#client})
     * @param summary what an accepted session carried; empty for a denied one
     */
    void session(Optional<Endpoint> client, String method, String target, String version, int status, long bytes,
                 long nanos, String requestId, Optional<WebSocketSummary> summary) {
        if (enabled(status)) {
            write(status, json ? jsonLine(client, method, target, version, status, bytes, nanos, requestId, summary,
                    null) : sessionLine(client, method, target, version, status, bytes, nanos, requestId, summary));
        }
    }

    /** One line for a request a protocol answered itself ({@code 400}, {@code 413}, ...): what it is, is unknown. */
    void rejected(ConnectionInfo conn, int status, String reason, String requestId) {
        if (enabled(status)) {
            write(status, json ? jsonLine(conn.client(), null, null, null, status, 0, -1, requestId, null, reason)
                    : client(conn.client()) + " - \"-\" " + status + " 0 - [" + requestId + "] " + worker + " (" + reason + ")");
        }
    }

    /** @return the line {@link #session} writes in the text format */
    String sessionLine(Optional<Endpoint> client, String method, String target, String version, int status, long bytes,
                       long nanos, String requestId, Optional<WebSocketSummary> summary) {
        return line(client, method, target, version, status, bytes, nanos, requestId) + " websocket"
                + summary.map(s -> " in=" + s.messagesIn() + '/' + s.bytesIn() + " out=" + s.messagesOut() + '/'
                + s.bytesOut() + " close=" + s.closeCode()).orElse("");
    }

    /** @return the line {@link #log} writes in the text format */
    String line(Optional<Endpoint> client, String method, String target, String version, int status, long bytes,
                long nanos, String requestId) {
        return client(client) + " - \"" + method + ' ' + target + " HTTP/" + version + "\" " + status + ' ' + bytes + ' '
                + Millis.of(nanos, 1) + "ms [" + requestId + "] " + worker;
    }

    /**
     * The JSON object of a line.
     *
     * @param method  null for a rejection, as are {@code target} and {@code version}
     * @param nanos   below 0 for a rejection: no duration
     * @param summary null for an HTTP request; for a WebSocket session, what an accepted one carried
     * @param reason  a rejection's reason, else null
     */
    String jsonLine(Optional<Endpoint> client, String method, String target, String version, int status, long bytes,
                    long nanos, String requestId, Optional<WebSocketSummary> summary, String reason) {
        var out = new StringBuilder(256).append("{\"ts\":\"");
        TIMESTAMP.formatTo(Instant.now(), out);
        out.append("\",\"level\":\"").append(status >= 500 ? "warn" : "info").append("\",\"method\":");
        JsonText.string(out, method).append(",\"path\":");
        JsonText.string(out, target == null ? null : RequestPaths.rawPath(target)).append(",\"query\":");
        JsonText.string(out, target == null ? null : RequestPaths.query(target));
        out.append(",\"status\":").append(status).append(",\"bytes\":").append(bytes).append(",\"duration_ms\":")
                .append(nanos < 0 ? "null" : Millis.of(nanos, 3)).append(",\"protocol\":");
        JsonText.string(out, version == null ? null : "HTTP/" + version).append(",\"client\":");
        JsonText.string(out, client.map(Endpoint::toString).orElse(null)).append(",\"req_id\":");
        JsonText.string(out, requestId).append(",\"worker\":").append(workerJson);
        if (summary != null) {
            out.append(",\"websocket\":true");
            summary.ifPresent(s -> out.append(",\"messages_in\":").append(s.messagesIn()).append(",\"bytes_in\":")
                    .append(s.bytesIn()).append(",\"messages_out\":").append(s.messagesOut())
                    .append(",\"bytes_out\":").append(s.bytesOut()).append(",\"close\":").append(s.closeCode()));
        }
        if (reason != null) {
            JsonText.string(out.append(",\"reason\":"), reason);
        }
        return out.append('}').toString();
    }

    private static String client(Optional<Endpoint> client) {
        return client.map(Endpoint::toString).orElse("unix");
    }

    private void write(int status, String line) {
        if (json) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            // One write of the whole line under the stream's own lock, then its flush: lines never interleave.
            PrintStream out = System.out;
            out.write(bytes, 0, bytes.length);
            out.flush();
        } else if (status >= 500) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }
}
