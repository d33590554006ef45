package dev.pounce.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request (ASGI {@code http} scope).
 *
 * @param httpVersion "1.0", "1.1", "2" or "3"
 * @param method      the request method, upper-case as sent
 * @param scheme      "http" or "https"
 * @param path        the root path followed by the percent-decoded request path (as Uvicorn gives it)
 * @param rawPath     the root path followed by the path as sent, before {@code ?}, not decoded
 * @param queryString the query as sent, after {@code ?}, not decoded; empty if none
 * @param rootPath    the mount point of the app (the {@code --root-path} flag), empty if none
 * @param headers     the request headers, names lower-cased, order and repeats kept
 * @param client      the client's address, absent on a Unix domain socket
 * @param server      the address the request came in on
 * @param state       the lifespan state
 * @param extensions  server extras (request id, worker)
 */
public record HttpScope(
        String httpVersion,
        String method,
        String scheme,
        String path,
        String rawPath,
        String queryString,
        String rootPath,
        Headers headers,
        Optional<Endpoint> client,
        Optional<Endpoint> server,
        Map<String, Object> state,
        Map<String, Object> extensions) implements Scope {

    /** Checks that every part is present. */
    public HttpScope {
        Objects.requireNonNull(httpVersion, "httpVersion");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(queryString, "queryString");
        Objects.requireNonNull(rootPath, "rootPath");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(extensions, "extensions");
    }
}
