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

    /**
     * The middleware this app declares, which the server runs around it on every protocol (see {@link Middleware}
     * for the order). Calling the app directly, outside a server, runs none of them.
     *
     * @return the app's middleware, outermost first; none unless made by {@link #with}
     */
    default java.util.List<Middleware> middleware() {
        return java.util.List.of();
    }

    /**
     * This app with middleware around it. {@code app.with(a, b)} puts {@code a} outside {@code b}; each call wraps
     * what it is given, so {@code app.with(b).with(a)} is the same stack.
     *
     * @param middleware the middleware, outermost first
     * @return an app that serves as this one does, declaring the middleware before this app's own
     */
    default App with(Middleware... middleware) {
        var all = new java.util.ArrayList<Middleware>();
        for (Middleware m : middleware) {
            all.add(java.util.Objects.requireNonNull(m, "middleware"));
        }
        all.addAll(middleware());
        App inner = this instanceof MiddlewareStack stack ? stack.app() : this;
        return new MiddlewareStack(inner, java.util.List.copyOf(all));
    }

    /**
     * An app made of a {@link Handler}: for each HTTP request it reads the whole body, calls the handler and sends
     * its response. Lifespan events are acknowledged; a WebSocket handshake is refused (403).
     *
     * @param handler the request-to-response function
     * @return the app
     */
    static App of(Handler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return (scope, receive, send) -> {
            switch (scope) {
                case HttpScope http -> {
                    var body = new java.io.ByteArrayOutputStream();
                    while (true) {
                        Message m = receive.receive();
                        if (m instanceof HttpMessage.Request chunk) {
                            body.write(chunk.body());
                            if (!chunk.more()) {
                                break;
                            }
                        } else {
                            return; // the client went away before the body ended
                        }
                    }
                    Response r = handler.handle(new Request(http, body.toByteArray()));
                    send.send(new HttpMessage.ResponseStart(r.status(), r.headers()));
                    send.send(new HttpMessage.ResponseBody(r.body(), false));
                }
                case LifespanScope lifespan -> {
                    while (true) {
                        switch (receive.receive()) {
                            case LifespanMessage.Startup s -> send.send(new LifespanMessage.StartupComplete());
                            case LifespanMessage.Shutdown s -> {
                                send.send(new LifespanMessage.ShutdownComplete());
                                return;
                            }
                            default -> {
                                return;
                            }
                        }
                    }
                }
                case WebSocketScope ws -> send.send(new WebSocketMessage.Close(1000, ""));
            }
        };
    }
}
