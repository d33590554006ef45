package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.Response;
import dev.pounce.api.ResponseHead;
import dev.pounce.api.WebSocketScope;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * CORS by the Fetch standard's rules. A preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered here, {@code 204} without the app when the origin, the method
 * and every requested field are allowed, else {@code 403} with no CORS field, which the browser reports as a failed
 * preflight. Any other request goes to the app, and its response gets {@code Access-Control-Allow-Origin} (and the
 * credentials and exposed fields) when its origin is allowed, none when it is not.
 *
 * <p>With credentials the allowed origin is echoed, never {@code *} (the Fetch standard rejects {@code *} then), and
 * so is a {@code *} of methods or fields. Whenever the answer depends on {@code Origin}, every response says
 * {@code Vary: Origin}, with or without one, so a shared cache never serves one origin's answer to another. A
 * response whose app set {@code Access-Control-Allow-Origin} is the app's own CORS: nothing is added to it but the
 * {@code Vary} token.
 *
 * <p>WebSocket: browsers apply no CORS to WebSocket but send {@code Origin} with every handshake, so a handshake
 * from an origin that is not allowed is denied {@code 403} here, before the app, which closes cross-site WebSocket
 * hijacking; one without {@code Origin} (not a browser) passes. Stateless, so one instance serves every request.
 */
final class CorsMiddleware implements Middleware {

    /** The methods a preflight never needs to allow (Fetch: CORS-safelisted methods). */
    private static final Set<String> SAFELISTED_METHODS = Set.of("GET", "HEAD", "POST");

    private final CorsPolicy config;
    /** Whether responses depend on the request's {@code Origin}: an origin is echoed. */
    private final boolean echoes;
    private final String allowMethods;
    private final String exposeHeaders;

    CorsMiddleware(CorsPolicy config) {
        this.config = config;
        this.echoes = !config.anyOrigin() || config.allowCredentials();
        this.allowMethods = String.join(", ", config.allowMethods());
        this.exposeHeaders = String.join(", ", config.exposeHeaders());
    }

    @Override
    public Optional<Response> beforeRequest(HttpScope scope) {
        if (!scope.method().equals("OPTIONS")) {
            return Optional.empty();
        }
        Optional<String> origin = scope.headers().first("origin");
        Optional<String> method = scope.headers().first("access-control-request-method");
        if (origin.isEmpty() || method.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(preflight(origin.get(), method.get().strip(),
                String.join(",", scope.headers().all("access-control-request-headers"))));
    }

    @Override
    public Optional<Response> beforeWebSocket(WebSocketScope scope) {
        Optional<String> origin = scope.headers().first("origin");
        if (origin.isEmpty() || allowed(origin.get())) {
            return Optional.empty();
        }
        byte[] body = ("WebSocket handshake refused: origin " + origin.get()
                + " is not allowed (--cors-allow-origin)\n").getBytes(StandardCharsets.UTF_8);
        return Optional.of(new Response(403, Headers.of("content-type", "text/plain; charset=utf-8"), body));
    }

    private Response preflight(String origin, String method, String requestedHeaders) {
        if (!allowed(origin)) {
            return refusal("origin " + origin + " is not allowed (--cors-allow-origin)");
        }
        if (!SAFELISTED_METHODS.contains(method) && !config.allowMethods().contains("*")
                && !config.allowMethods().contains(method)) {
            return refusal("method " + method + " is not allowed (--cors-allow-methods)");
        }
        List<String> fields = new ArrayList<>();
        for (String item : requestedHeaders.split(",")) {
            String field = item.strip().toLowerCase(Locale.ROOT);
            if (field.isEmpty()) {
                continue;
            }
            if (!config.allowHeaders().contains("*") && !config.allowHeaders().contains(field)) {
                return refusal("request field " + field + " is not allowed (--cors-allow-headers)");
            }
            fields.add(field);
        }
        var h = Headers.builder().add("access-control-allow-origin", allowOrigin(origin));
        if (config.allowCredentials()) {
            h.add("access-control-allow-credentials", "true");
        }
        // A * would be taken literally by a browser sending credentials, so then the method asked for is named.
        h.add("access-control-allow-methods", config.allowMethods().contains("*")
                ? (config.allowCredentials() ? method : "*") : allowMethods);
        if (!fields.isEmpty()) {
            // The fields were each checked: naming them back works with and without credentials.
            h.add("access-control-allow-headers", String.join(", ", fields));
        }
        h.add("access-control-max-age", Integer.toString(config.maxAge()));
        h.add("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        return new Response(204, h.build(), HttpMessage.EMPTY);
    }

    private Response refusal(String why) {
        byte[] body = ("CORS preflight refused: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        return new Response(403, Headers.of("content-type", "text/plain; charset=utf-8", "vary",
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"), body);
    }

    @Override
    public void onResponseStart(HttpScope scope, ResponseHead head) {
        if (echoes) {
            head.addToList("vary", "Origin");
        }
        Optional<String> origin = scope.headers().first("origin");
        if (origin.isEmpty() || !allowed(origin.get()) || head.has("access-control-allow-origin")) {
            return;
        }
        head.setIfAbsent("access-control-allow-origin", allowOrigin(origin.get()));
        if (config.allowCredentials()) {
            head.setIfAbsent("access-control-allow-credentials", "true");
        }
        if (!exposeHeaders.isEmpty()) {
            head.setIfAbsent("access-control-expose-headers", exposeHeaders);
        }
    }

    private boolean allowed(String origin) {
        return config.anyOrigin() || config.allowOrigins().contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    /** The value of {@code Access-Control-Allow-Origin} for an allowed origin. */
    private String allowOrigin(String origin) {
        return echoes ? origin.strip() : "*";
    }
}
