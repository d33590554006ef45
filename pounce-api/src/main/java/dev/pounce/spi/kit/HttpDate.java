package dev.pounce.spi.kit;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} response field (RFC 9110 section 6.6.1) in IMF-fixdate form, formatted once a second per event
 * loop thread rather than once per response, for every protocol.
 */
public final class HttpDate {

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
    private AsciiString value;
    private byte[] line;

    private HttpDate() {
    }

    /** @return the field value for the current second, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}; shared */
    public static AsciiString value() {
        return PER_THREAD.get().at(System.currentTimeMillis()).value;
    }

    /** @return the whole HTTP/1.1 line {@code Date: ...\r\n} for the current second; shared, do not change it */
    public static byte[] line() {
        return PER_THREAD.get().at(System.currentTimeMillis()).line;
    }

    /**
     * @param epochMillis a time
     * @return the IMF-fixdate text for it
     */
    public static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }

    private HttpDate at(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 1000);
        if (now != second) {
            String text = format(epochMillis);
            value = AsciiString.cached(text);
            line = ("Date: " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
            second = now;
        }
        return this;
    }
}
