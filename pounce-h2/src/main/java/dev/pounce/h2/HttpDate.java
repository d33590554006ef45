package dev.pounce.h2;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code date} response field (RFC 9110 section 6.6.1) in IMF-fixdate form, formatted once a second per
 * event loop thread rather than once per response. A copy of the HTTP/1.1 plugin's logic: plugins do not read
 * each other.
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
    private AsciiString value;

    private HttpDate() {
    }

    /** @return the field value for the current second, shared */
    static AsciiString value() {
        return PER_THREAD.get().valueAt(System.currentTimeMillis());
    }

    private AsciiString valueAt(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 1000);
        if (now != second) {
            value = AsciiString.cached(IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis)));
            second = now;
        }
        return value;
    }
}
