package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;

import java.util.Optional;

/**
 * What the server believes about where one request came from, once {@link ProxyHeaders} has read the fields of a
 * trusted proxy: the scope's client and scheme, the access log's client, and the Host the app sees.
 *
 * @param trustedPeer whether the connection's peer is in {@code --forwarded-allow-ips} (or is a Unix domain socket);
 *                    found out only when the request carries a field that needs it (a forwarding field or
 *                    {@code X-Request-ID}), false when it carries none, since then nothing depends on it
 * @param client      the client: the one a trusted proxy named, else the connection's peer
 * @param secure      whether the client used TLS: what a trusted proxy said, else whether the connection is TLS
 * @param host        the host a trusted proxy said the client asked for, to stand for the request's {@code host}
 *                    field; empty to leave the request's own
 */
record RequestOrigin(boolean trustedPeer, Optional<Endpoint> client, boolean secure, Optional<String> host) {

    /** @return the connection as it is: no proxy believed */
    static RequestOrigin direct(ConnectionInfo conn, boolean trustedPeer) {
        return new RequestOrigin(trustedPeer, conn.client(), conn.secure(), Optional.empty());
    }

    /** @return {@code https} or {@code http}, for an HTTP scope */
    String httpScheme() {
        return secure ? "https" : "http";
    }

    /** @return {@code wss} or {@code ws}, for a WebSocket scope */
    String webSocketScheme() {
        return secure ? "wss" : "ws";
    }

    /**
     * @param headers the request's fields
     * @return them with the believed host as the one {@code host} field, where the first stood (or last, if none
     *         did); the same fields when there is no believed host
     */
    Headers applyHost(Headers headers) {
        if (host.isEmpty()) {
            return headers;
        }
        var out = Headers.builder();
        boolean placed = false;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equals("host")) {
                if (!placed) {
                    out.add("host", host.get());
                    placed = true;
                }
            } else {
                out.add(headers.name(i), headers.value(i));
            }
        }
        if (!placed) {
            out.add("host", host.get());
        }
        return out.build();
    }
}
