package dev.pounce.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Hooks around the app for HTTP requests: before the request, on the response start, after the response and on an
 * app exception. Each hook has a default that does nothing, so a middleware overrides only what it needs. The server
 * runs them on every protocol (HTTP/1.1, HTTP/2, HTTP/3), for the app's responses and for {@code --static} files.
 *
 * <p>Where middleware comes from, outermost first: the server's (built-in CORS and security headers and plugins'
 * {@link dev.pounce.spi.MiddlewareProvider}s, ordered by {@link dev.pounce.spi.MiddlewareProvider#order()}), then
 * the app's own ({@link App#with}). Inside them come the static files and the app; outside them the health and
 * metrics paths and the load limits, which never reach a middleware.
 * <pre>{@code
 * Middleware poweredBy = new Middleware() {
 *     public void onResponseStart(HttpScope scope, ResponseHead head) {
 *         head.setIfAbsent("x-powered-by", "pounce");
 *     }
 * };
 * App app = App.of(request -> Response.text(200, "hi")).with(poweredBy);
 * }</pre>
 *
 * <p>Order, as layers of an onion: {@link #beforeRequest} runs outermost first; {@link #onResponseStart},
 * {@link #onException} and {@link #afterResponse} run innermost first, so the outermost middleware has the last
 * word on the response. An early answer from one middleware's {@link #beforeRequest} skips the app and the
 * middleware inside it: the response-start hooks of the middleware outside it see the answer, and the after hooks
 * of it and the middleware outside it see the end.
 *
 * <p>Threads: every hook of one request runs on that request's virtual thread, one after another, so a hook may
 * block (a blocking hook delays its request, and no other). One middleware serves many requests at once: keep
 * per-request state in locals, never in fields. A hook that throws is the server's problem, not the client's:
 * a failing {@link #beforeRequest} is answered as an app exception would be; a failing {@link #onResponseStart},
 * {@link #onException} or {@link #afterResponse} is logged and skipped.
 *
 * <p>WebSocket: one hook, {@link #beforeWebSocket}, runs for a WebSocket handshake (outermost first, on the
 * session's virtual thread) and may deny it; the others do not run for WebSocket handshakes or sessions. Browsers do
 * not apply CORS to WebSocket, so a handshake's {@code Origin} is the server's to check: the built-in CORS denies a
 * handshake from an origin it does not allow.
 */
public interface Middleware {

    /**
     * Called before the app (or the static files) with the request's scope, before any of its body is read.
     *
     * @param scope the request
     * @return a response to send instead of calling the app (a CORS preflight's answer, a refusal), or empty to
     *         pass the request on
     * @throws Exception any failure, answered as an app exception: exception hooks, else a {@code 500}
     */
    default Optional<Response> beforeRequest(HttpScope scope) throws Exception {
        return Optional.empty();
    }

    /**
     * Called before the app gets a WebSocket session (an HTTP/1.1 upgrade, or an extended CONNECT over HTTP/2 or
     * HTTP/3), with the handshake's scope, outermost first until one answers.
     *
     * @param scope the handshake
     * @return a response that denies the handshake, which the app then never sees, or empty to pass it on
     * @throws Exception any failure: the handshake is denied with a {@code 500}
     */
    default Optional<Response> beforeWebSocket(WebSocketScope scope) throws Exception {
        return Optional.empty();
    }

    /**
     * Called when the response starts, before its head is written: the app's response, a static file's, an early
     * answer from a middleware inside this one, an exception hook's replacement, or the server's {@code 500}. A hook
     * may add fields; the rule is to never replace a field that is already set ({@link ResponseHead#setIfAbsent})
     * unless replacing it is the purpose of the hook ({@link ResponseHead#replace}).
     *
     * @param scope the request
     * @param head  the status and fields about to be written, changeable until this hook returns
     */
    default void onResponseStart(HttpScope scope, ResponseHead head) {
    }

    /**
     * Called when the app threw before its response started, to replace the {@code 500}. After the response
     * started nothing can replace it: the response is cut short and this hook is not called.
     *
     * @param scope   the request
     * @param failure what the app threw
     * @return the response to send instead of the {@code 500}, or empty to leave it to the middleware outside this
     *         one (and at last to the server's {@code 500})
     */
    default Optional<Response> onException(HttpScope scope, Throwable failure) {
        return Optional.empty();
    }

    /**
     * Called once the response is over, whether it was completed or cut short, to observe it. Nothing can be
     * changed any more.
     *
     * @param scope   the request
     * @param outcome how it ended
     */
    default void afterResponse(HttpScope scope, Outcome outcome) {
    }

    /**
     * How a response ended, for {@link #afterResponse}.
     *
     * @param status    the status sent, or {@code 0} when no response was sent (the client left first)
     * @param bodyBytes the body bytes sent, before any framing or compression
     * @param duration  from the request's arrival at the server's bridge to the end of the response
     * @param aborted   whether the response was cut short (the client left, the app failed midway)
     */
    record Outcome(int status, long bodyBytes, Duration duration, boolean aborted) {
    }
}
