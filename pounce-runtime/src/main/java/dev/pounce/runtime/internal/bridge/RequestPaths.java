package dev.pounce.runtime.internal.bridge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Splits a request target into path and query and percent-decodes the path. */
final class RequestPaths {

    private RequestPaths() {
    }

    /** @return the part before {@code ?} */
    static String rawPath(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the part after {@code ?}, empty if none */
    static String query(String target) {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * Percent-decodes a path as UTF-8. A {@code %} not followed by two hex digits is kept as it is, as browsers and
     * Uvicorn do; {@code +} stays {@code +} (it means space only in form-encoded queries).
     */
    static String decode(String raw) {
        int first = raw.indexOf('%');
        if (first < 0) {
            return raw;
        }
        var out = new ByteArrayOutputStream(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0
                    && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
