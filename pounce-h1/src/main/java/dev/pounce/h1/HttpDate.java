package dev.pounce.h1;

import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} response field (RFC 9110 section 6.6.1) in IMF-fixdate form, formatted once a second per
 * event loop thread rather than once per response.
 */
final class HttpDate {

    // IMF-fixdate (RFC 9110 section 5.6.7): always two day digits, unlike RFC_1123_DATE_TIME.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final FastThreadLocal<HttpDate> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected HttpDate initialValue() {
            return new HttpDate();
        }
    };

    private long second = Long.MIN_VALUE;
    private byte[] line;

    private HttpDate() {
    }

    /**
     * @return the whole {@code Date: ...\r\n} line for the current second, shared: do not change it
     */
    static byte[] line() {
        return PER_THREAD.get().lineAt(System.currentTimeMillis());
    }

    /**
     * @param epochMillis a time
     * @return the IMF-fixdate text for it
     */
    static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }

    private byte[] lineAt(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 1000);
        if (now != second) {
            line = ("Date: " + format(epochMillis) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            second = now;
        }
        return line;
    }
}
