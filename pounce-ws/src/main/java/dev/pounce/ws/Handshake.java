package dev.pounce.ws;

import dev.pounce.api.Headers;
import dev.pounce.spi.RequestHead;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks an opening handshake and works out its answer, whichever HTTP carried it: HTTP/1.1 (RFC 6455 section 4.2.1:
 * a GET with {@code Sec-WebSocket-Key} and version 13; the origin has already checked {@code Upgrade} and
 * {@code Connection}) or extended CONNECT over HTTP/2 and 3 (RFC 8441 section 5, RFC 9220: no key, version 13). A
 * version other than 13 gets 426 with the version the server speaks (section 4.4); any other fault gets 400.
 */
final class Handshake {

    /** The GUID that turns a key into its accept value (RFC 6455 section 1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final String VERSION = "13";

    private Handshake() {
    }

    /** The outcome of the check. */
    sealed interface Check {
    }

    /**
     * A handshake the app may accept.
     *
     * @param accept       the {@code Sec-WebSocket-Accept} value for HTTP/1.1; empty over HTTP/2 and 3
     * @param subprotocols the subprotocols offered, in the client's order
     * @param deflate      permessage-deflate as negotiated, if it was
     */
    record Valid(Optional<String> accept, List<String> subprotocols, Optional<PerMessageDeflate.Agreement> deflate)
            implements Check {
    }

    /**
     * A handshake refused before the app hears of it.
     *
     * @param status  400 or 426
     * @param headers the response fields
     * @param reason  why, for the log and the response body
     */
    record Refused(int status, Headers headers, String reason) implements Check {
    }

    /**
     * @param head   the request as the origin validated it
     * @param config the plugin's settings
     * @return whether the app may hear of it, and how to answer it
     */
    static Check check(RequestHead head, WebSocketConfig config) {
        boolean http1 = head.version().equals("1.1");
        String method = http1 ? "GET" : "CONNECT";
        if (!head.method().equals(method)) {
            return bad("a WebSocket handshake over HTTP/" + head.version() + " is a " + method + ", not "
                    + head.method());
        }
        List<String> versions = head.headers().all("sec-websocket-version");
        if (versions.isEmpty()) {
            return bad("no Sec-WebSocket-Version");
        }
        if (versions.size() != 1 || !versions.getFirst().strip().equals(VERSION)) {
            return new Refused(426, Headers.of("sec-websocket-version", VERSION, "content-type",
                    "text/plain; charset=utf-8"), "unsupported WebSocket version " + String.join(", ", versions));
        }
        Optional<String> accept = Optional.empty();
        if (http1) {
            List<String> keys = head.headers().all("sec-websocket-key");
            if (keys.size() != 1 || !isKey(keys.getFirst().strip())) {
                return bad(keys.isEmpty() ? "no Sec-WebSocket-Key" : "Sec-WebSocket-Key is not 16 bytes in base64");
            }
            accept = Optional.of(acceptValue(keys.getFirst().strip()));
        }
        List<String> subprotocols = new ArrayList<>();
        for (String value : head.headers().all("sec-websocket-protocol")) {
            for (String p : value.split(",")) {
                String name = p.strip();
                if (!name.isEmpty() && name.chars().allMatch(Headers::isTokenChar) && !subprotocols.contains(name)) {
                    subprotocols.add(name);
                }
            }
        }
        return new Valid(accept, List.copyOf(subprotocols),
                PerMessageDeflate.negotiate(head.headers().all("sec-websocket-extensions"), config.deflate()));
    }

    private static Refused bad(String reason) {
        return new Refused(400, Headers.of("content-type", "text/plain; charset=utf-8"), reason);
    }

    private static boolean isKey(String key) {
        try {
            return key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2 */
    static String acceptValue(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
