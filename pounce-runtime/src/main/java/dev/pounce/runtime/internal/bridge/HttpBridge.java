package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Scope;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP bridge of one worker: builds each request's scope and runs the app on a virtual thread. One instance per
 * worker, so its counters are the worker's own and are merged only when read.
 */
public final class HttpBridge implements Bridge {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");

    private final App app;
    private final ServerConfig config;
    private final Map<String, Object> state;
    private final Map<String, Object> extensions;
    private final EventSink events;
    private final AccessLog accessLog;
    private final ThreadFactory appThreads;
    private final Runnable onRequestLimit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();

    /**
     * @param app            the application
     * @param config         the frozen config
     * @param worker         the worker this bridge serves
     * @param state          the lifespan state shared by all scopes
     * @param events         where request events go
     * @param onRequestLimit run once when the worker has served {@code limitMaxRequests} requests
     */
    public HttpBridge(App app, ServerConfig config, WorkerIdentity worker, Map<String, Object> state,
                      EventSink events, Runnable onRequestLimit) {
        this.app = app;
        this.config = config;
        this.state = state;
        this.extensions = Map.of(Scope.WORKER, worker);
        this.events = events;
        this.accessLog = new AccessLog(config.accessLog(), worker);
        this.appThreads = Thread.ofVirtual().name("pounce-app-" + worker.id() + "-", 0).factory();
        this.onRequestLimit = onRequestLimit;
    }

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        long n = served.incrementAndGet();
        long limit = config.limits().limitMaxRequests();
        if (limit > 0 && n == limit) {
            onRequestLimit.run();
        }
        inFlight.incrementAndGet();
        var call = new HttpCall(this, exchange, scopeOf(exchange));
        appThreads.newThread(call).start();
        return call;
    }

    @Override
    public void rejected(ConnectionInfo connection, int status, String reason) {
        LOG.debug("rejected request on connection {} from {}: {} {}", connection.id(),
                connection.client().map(Endpoint::toString).orElse("unix"), status, reason);
        accessLog.rejected(connection, status, reason);
    }

    /** @return requests being served right now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return requests served since the worker started */
    public long served() {
        return served.get();
    }

    App app() {
        return app;
    }

    ServerConfig config() {
        return config;
    }

    EventSink events() {
        return events;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    private HttpScope scopeOf(HttpExchange exchange) {
        RequestHead head = exchange.head();
        ConnectionInfo conn = exchange.connection();
        String rawPath = RequestPaths.rawPath(head.target());
        String root = config.rootPath();
        // As Uvicorn does: path and raw path include the root path, so apps and routers that strip it agree.
        return new HttpScope(head.version(), head.method(), conn.scheme(), root + RequestPaths.decode(rawPath),
                root + rawPath, RequestPaths.query(head.target()), root, head.headers(), conn.client(),
                conn.server(), state, extensions);
    }

    static Optional<String> clientText(ConnectionInfo conn) {
        return conn.client().map(Endpoint::toString);
    }
}
