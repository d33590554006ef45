package dev.pounce.api;

import java.util.List;

/**
 * An app and the middleware it declares ({@link App#with}). Serving it is serving the app: the server, not this
 * record, runs the middleware, so that they also wrap the static files and see the server's own {@code 500}.
 *
 * @param app        the app
 * @param middleware its middleware, outermost first
 */
record MiddlewareStack(App app, List<Middleware> middleware) implements App {

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        app.call(scope, receive, send);
    }
}
