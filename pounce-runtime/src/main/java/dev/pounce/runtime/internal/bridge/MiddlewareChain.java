package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.Response;
import dev.pounce.api.ResponseHead;
import dev.pounce.api.WebSocketScope;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The middleware of one worker's requests, outermost first: the server's, then the app's. Runs their hooks in the
 * order {@link Middleware} promises, each on the request's own thread; holds no state of a request, which the caller
 * keeps as a depth: how many middleware, counted from the outermost, the request went through.
 */
final class MiddlewareChain {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);

    /** No middleware: every call is a no-op, and the bridge skips them. */
    static final MiddlewareChain NONE = new MiddlewareChain(List.of());

    private final List<Middleware> middleware;

    private MiddlewareChain(List<Middleware> middleware) {
        this.middleware = middleware;
    }

    /**
     * @param server the server's middleware, outermost first
     * @param app    the app's, outermost first
     * @return the chain of both
     */
    static MiddlewareChain of(List<Middleware> server, List<Middleware> app) {
        if (server.isEmpty() && app.isEmpty()) {
            return NONE;
        }
        List<Middleware> all = new ArrayList<>(server);
        all.addAll(app);
        return new MiddlewareChain(List.copyOf(all));
    }

    /** @return whether there is no middleware */
    boolean isEmpty() {
        return middleware.isEmpty();
    }

    /** @return how many middleware there are: the depth of a request that reached the app */
    int size() {
        return middleware.size();
    }

    /**
     * An early answer from a before hook.
     *
     * @param response the answer
     * @param by       the index of the middleware that gave it
     */
    record Early(Response response, int by) {
    }

    /**
     * Runs the before hooks, outermost first, until one answers.
     *
     * @param scope   the request
     * @param entered told the index of each middleware as its hook is about to run, so that after a throw the
     *                caller knows how deep the request went
     * @return the first answer, or empty when the request goes on to the app
     * @throws Exception what a hook threw
     */
    Optional<Early> before(HttpScope scope, java.util.function.IntConsumer entered) throws Exception {
        for (int i = 0; i < middleware.size(); i++) {
            entered.accept(i);
            Optional<Response> answer = middleware.get(i).beforeRequest(scope);
            if (answer.isPresent()) {
                return Optional.of(new Early(answer.get(), i));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the WebSocket hooks, outermost first, until one denies the handshake.
     *
     * @param scope the handshake
     * @return the first denial, or empty when the session goes on to the app
     * @throws Exception what a hook threw
     */
    Optional<Response> beforeWebSocket(WebSocketScope scope) throws Exception {
        for (Middleware m : middleware) {
            Optional<Response> denial = m.beforeWebSocket(scope);
            if (denial.isPresent()) {
                return denial;
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the response-start hooks of the middleware outside {@code depth}, innermost first.
     *
     * @param depth   how many middleware, from the outermost, see this response
     * @param scope   the request
     * @param status  the status about to be sent
     * @param headers the fields about to be sent
     * @return the fields as the hooks left them
     */
    Headers responseStart(int depth, HttpScope scope, int status, Headers headers) {
        if (depth == 0) {
            return headers;
        }
        var head = new ResponseHead(status, headers);
        for (int i = depth - 1; i >= 0; i--) {
            try {
                middleware.get(i).onResponseStart(scope, head);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("middleware {} failed on the response start of {} {}; its fields are left out",
                        middleware.get(i).getClass().getName(), scope.method(), scope.rawPath(), e);
            }
        }
        return head.headers();
    }

    /**
     * Asks the exception hooks, innermost first, for a response to send instead of the {@code 500}.
     *
     * @param scope   the request
     * @param failure what the app threw
     * @return the first replacement, or empty
     */
    Optional<Response> exception(HttpScope scope, Throwable failure) {
        for (int i = middleware.size() - 1; i >= 0; i--) {
            try {
                Optional<Response> answer = middleware.get(i).onException(scope, failure);
                if (answer.isPresent()) {
                    return answer;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("middleware {} failed in its exception hook for {} {}", middleware.get(i).getClass().getName(),
                        scope.method(), scope.rawPath(), e);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the after hooks of the middleware the request went through, innermost first.
     *
     * @param depth   how many middleware, from the outermost, the request went through
     * @param scope   the request
     * @param outcome how the response ended
     */
    void after(int depth, HttpScope scope, Middleware.Outcome outcome) {
        for (int i = depth - 1; i >= 0; i--) {
            try {
                middleware.get(i).afterResponse(scope, outcome);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("middleware {} failed in its after hook for {} {}", middleware.get(i).getClass().getName(),
                        scope.method(), scope.rawPath(), e);
            }
        }
    }

    /**
     * @param status   the status sent, or 0
     * @param bytes    the body bytes sent
     * @param nanos    the time from dispatch to the end
     * @param aborted  whether it was cut short
     * @return the outcome for the after hooks
     */
    static Middleware.Outcome outcome(int status, long bytes, long nanos, boolean aborted) {
        return new Middleware.Outcome(status, bytes, Duration.ofNanos(nanos), aborted);
    }
}
