package dev.pounce.api;

/**
 * An application: the one contract every protocol serves the same way.
 *
 * <p>The server calls {@code call} once per HTTP request, once per WebSocket session and once for the lifespan of
 * the server, each time on its own virtual thread. Blocking in {@code call} is expected and cheap. An exception
 * thrown before the response starts becomes a {@code 500}; after it, the response is aborted.
 */
@FunctionalInterface
public interface App {

    /**
     * Serves one scope.
     *
     * @param scope   what is being served: an {@link HttpScope}, a {@link WebSocketScope} or a {@link LifespanScope}
     * @param receive where the app takes messages from the client or the server
     * @param send    where the app puts its messages; blocks while the peer is slow
     * @throws Exception any failure; the server answers it as described above and logs it once
     */
    void call(Scope scope, Receive receive, Send send) throws Exception;
}
