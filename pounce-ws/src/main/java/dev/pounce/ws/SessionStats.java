package dev.pounce.ws;

import dev.pounce.spi.WebSocketSummary;

import java.util.concurrent.TimeUnit;

/**
 * What one session carried, for the summary the bridge logs when it ends and the plugin's own debug line: messages
 * and their bytes each way (as the app sees them, before compression), bytes read off the wire, the close codes and
 * the code the app heard. Touched on the event loop only.
 */
final class SessionStats {

    private final long started = System.nanoTime();
    private long messagesIn;
    private long bytesIn;
    private long wireIn;
    private long messagesOut;
    private long bytesOut;
    private int closeSent = -1;
    private int closeReceived = -1;
    private int disconnect = CloseHandshake.ABNORMAL;

    void received(int bytes) {
        messagesIn++;
        bytesIn += bytes;
    }

    void wireIn(int bytes) {
        wireIn += bytes;
    }

    void sent(int bytes) {
        messagesOut++;
        bytesOut += bytes;
    }

    void closeSent(int code) {
        closeSent = code;
    }

    void closeReceived(int code) {
        closeReceived = code;
    }

    void disconnected(int code) {
        disconnect = code;
    }

    /** @return the summary for the bridge */
    WebSocketSummary summary() {
        return new WebSocketSummary(messagesIn, bytesIn, messagesOut, bytesOut, disconnect);
    }

    /** @return one line: duration, messages and bytes each way, close codes ("-" for none) */
    String line(long nowNanos) {
        return String.format("%.1fms in=%d msgs/%d B (%d B on the wire) out=%d msgs/%d B close sent=%s received=%s",
                TimeUnit.NANOSECONDS.toMicros(nowNanos - started) / 1000.0, messagesIn, bytesIn, wireIn,
                messagesOut, bytesOut, code(closeSent), code(closeReceived));
    }

    private static String code(int code) {
        return code < 0 ? "-" : Integer.toString(code);
    }
}
