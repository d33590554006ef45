package dev.pounce.h1;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Turns a field name on the wire into its lower-case {@link String}. The names every request carries come back as
 * shared constants, without an allocation; the parser also compares them by identity to find the fields that
 * decide framing.
 */
final class FieldNames {

    static final String HOST = "host";
    static final String CONTENT_LENGTH = "content-length";
    static final String TRANSFER_ENCODING = "transfer-encoding";
    static final String CONNECTION = "connection";
    static final String EXPECT = "expect";
    static final String UPGRADE = "upgrade";

    /** Indexed by length; each slot lists the known names of that length. */
    private static final String[][] KNOWN = byLength(
            HOST, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, EXPECT, UPGRADE,
            "accept", "accept-encoding", "accept-language", "user-agent", "content-type", "cookie", "referer",
            "origin", "authorization", "cache-control", "pragma", "if-none-match", "if-modified-since", "range",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "te", "forwarded",
            "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest", "dnt", "priority", "http2-settings");

    private FieldNames() {
    }

    /**
     * @param buf    the buffer
     * @param index  where the name starts
     * @param length its length, at least 1; every byte a tchar
     * @return the lower-case name
     */
    static String lowerCase(ByteBuf buf, int index, int length) {
        if (length < KNOWN.length) {
            for (String known : KNOWN[length]) {
                if (ByteClasses.equalsIgnoreCaseAscii(buf, index, length, known)) {
                    return known;
                }
            }
        }
        byte[] bytes = new byte[length];
        buf.getBytes(index, bytes);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ByteClasses.toLower(bytes[i]);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String[][] byLength(String... names) {
        int max = 0;
        for (String n : names) {
            max = Math.max(max, n.length());
        }
        String[][] table = new String[max + 1][];
        for (int len = 0; len <= max; len++) {
            final int l = len;
            table[len] = java.util.Arrays.stream(names).filter(n -> n.length() == l).toArray(String[]::new);
        }
        return table;
    }
}
