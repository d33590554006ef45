package dev.pounce.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One WebSocket session (ASGI {@code websocket} scope). It has no method; it carries the subprotocols the client
 * offered.
 *
 * @param httpVersion  the HTTP version the handshake came over: "1.1" or "2"
 * @param scheme       "ws" or "wss"
 * @param path         the root path followed by the percent-decoded request path
 * @param rawPath      the root path followed by the path as sent, not decoded
 * @param queryString  the query as sent, not decoded
 * @param rootPath     the mount point of the app
 * @param headers      the handshake request headers, names lower-cased
 * @param client       the client's address, absent on a Unix domain socket
 * @param server       the address the request came in on
 * @param subprotocols the subprotocols offered in {@code Sec-WebSocket-Protocol}, in order
 * @param state        the lifespan state
 * @param extensions   server extras
 */
public record WebSocketScope(
        String httpVersion,
        String scheme,
        String path,
        String rawPath,
        String queryString,
        String rootPath,
        Headers headers,
        Optional<Endpoint> client,
        Optional<Endpoint> server,
        List<String> subprotocols,
        Map<String, Object> state,
        Map<String, Object> extensions) implements Scope {

    /** Checks that every part is present and copies the subprotocol list. */
    public WebSocketScope {
        Objects.requireNonNull(httpVersion, "httpVersion");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(queryString, "queryString");
        Objects.requireNonNull(rootPath, "rootPath");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(extensions, "extensions");
    }
}
