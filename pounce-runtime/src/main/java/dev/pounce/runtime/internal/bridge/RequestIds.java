package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives each request and WebSocket session its id ({@code Scope.REQUEST_ID}, the {@code x-request-id} response field,
 * the access log).
 *
 * <p>The client's {@code X-Request-ID} is kept only when it comes from a trusted peer, so that an id a proxy in front
 * of us made follows the request through, while a client on the internet cannot choose the id our logs file its
 * request under. Trusted means what {@code --forwarded-allow-ips} says ({@link ProxyHeaders#trusts}: by default a
 * loopback address, a proxy on the same host), or a Unix domain socket (only local processes that may open the socket
 * file). The peer is the connection's client address after any preamble, so behind the PROXY protocol it is the real
 * client, which is trusted only if the list says so. The value must also be 1 to {@value #MAX_LENGTH} characters of
 * {@code A-Z a-z 0-9 - . _ : + / =} (UUIDs, hex, base64 and most tracing ids), and be the only such field; anything
 * else is replaced by a new id.
 *
 * <p>New ids are 128 random bits as 32 hex digits, like the Python Pounce's UUID4 hex: made from the calling thread's
 * {@link ThreadLocalRandom}, with no lock and no shared counter, unique in practice across processes and restarts (they
 * are not secrets, and are not meant to be unguessable).
 */
final class RequestIds {

    /** The request and response field. */
    static final String HEADER = "x-request-id";
    /** The longest id taken from a request. */
    static final int MAX_LENGTH = 128;

    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {
    }

    /**
     * @param headers     the request's fields, names lower-cased
     * @param trustedPeer whether the connection's peer is trusted ({@link RequestOrigin#trustedPeer})
     * @return the trusted peer's valid {@code X-Request-ID}, or a new id
     */
    static String of(Headers headers, boolean trustedPeer) {
        String given = null;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equals(HEADER)) {
                if (given != null) {
                    return generate();
                }
                given = headers.value(i);
            }
        }
        return given != null && valid(given) && trustedPeer ? given : generate();
    }

    /** @return a new id: 32 lower-case hex digits */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    /** @return whether {@code id} may be used as it is: bounded, and nothing a log line or header could trip on */
    static boolean valid(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == ':' || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
