package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.Scope;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WebSocketScope;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge of one worker: builds each request's or WebSocket session's scope and runs the app on a virtual thread.
 * One instance per worker, so its counters are the worker's own and are merged only when read.
 */
public final class AppBridge implements WorkerBridge {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);

    private final App app;
    private final ServerConfig config;
    private final Map<String, Object> state;
    private final Map<String, Object> extensions;
    private final EventSink events;
    private final AccessLog accessLog;
    private final ThreadFactory appThreads;
    private final Runnable onRequestLimit;
    private final AltSvc altSvc;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final WorkerIdentity worker;
    /** Per-connection tallies for connection events; touched on the worker's event loop only, kept only if wanted. */
    private final Map<Long, ConnectionTally> open = new HashMap<>();

    private static final class ConnectionTally {
        private final long openedAt = System.nanoTime();
        private long requests;
    }

    /**
     * @param app            the application
     * @param config         the frozen config
     * @param worker         the worker this bridge serves
     * @param state          the lifespan state shared by all scopes
     * @param events         where request events go
     * @param appThreads     makes the app's virtual thread for each request (see {@code --dispatch})
     * @param onRequestLimit run once when the worker has served {@code limitMaxRequests} requests
     * @param altSvc         the other protocols' advertisements for responses
     */
    public AppBridge(App app, ServerConfig config, WorkerIdentity worker, Map<String, Object> state,
                     EventSink events, ThreadFactory appThreads, Runnable onRequestLimit, AltSvc altSvc) {
        this.app = app;
        this.config = config;
        this.state = state;
        this.worker = worker;
        this.extensions = Map.of(Scope.WORKER, worker);
        this.events = events;
        this.accessLog = new AccessLog(config.accessLog(), worker);
        this.appThreads = appThreads;
        this.onRequestLimit = onRequestLimit;
        this.altSvc = altSvc;
    }

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        var scope = scopeOf(exchange.head(), exchange.connection());
        started(exchange.connection(), scope.method(), scope.rawPath(), scope.httpVersion());
        var call = new HttpCall(this, exchange, scope);
        appThreads.newThread(call).start();
        return call;
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        RequestHead head = session.head();
        ConnectionInfo conn = session.connection();
        HttpScope http = scopeOf(head, conn);
        var scope = new WebSocketScope(head.version(), conn.secure() ? "wss" : "ws", http.path(), http.rawPath(),
                http.queryString(), http.rootPath(), head.headers(), conn.client(), conn.server(),
                session.subprotocols(), state, extensions);
        started(conn, head.method(), scope.rawPath(), scope.httpVersion());
        var call = new WebSocketCall(this, session, scope);
        appThreads.newThread(call).start();
        return call;
    }

    private void started(ConnectionInfo connection, String method, String rawPath, String version) {
        long n = served.incrementAndGet();
        long limit = config.limits().limitMaxRequests();
        if (limit > 0 && n == limit) {
            onRequestLimit.run();
        }
        inFlight.incrementAndGet();
        if (events.active()) {
            ConnectionTally tally = open.get(connection.id());
            if (tally != null) {
                tally.requests++;
            }
            events.publish(new LifecycleEvent.RequestStarted(worker, connection.id(), method, rawPath, version));
        }
    }

    @Override
    public void rejected(ConnectionInfo connection, int status, String reason) {
        LOG.debug("rejected request on connection {} from {}: {} {}", connection.id(),
                connection.client().map(Endpoint::toString).orElse("unix"), status, reason);
        accessLog.rejected(connection, status, reason);
    }

    @Override
    public void connectionOpened(ConnectionInfo info) {
        if (events.active()) {
            open.put(info.id(), new ConnectionTally());
            events.publish(new LifecycleEvent.ConnectionOpened(worker, info.id(), info.client(), info.server()));
        }
    }

    @Override
    public void connectionClosed(ConnectionInfo info) {
        ConnectionTally tally = open.remove(info.id());
        if (tally != null) {
            events.publish(new LifecycleEvent.ConnectionClosed(worker, info.id(), tally.requests,
                    System.nanoTime() - tally.openedAt));
        }
    }

    /** @return requests and sessions being served right now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return requests and sessions served since the worker started */
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

    AltSvc altSvc() {
        return altSvc;
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    private HttpScope scopeOf(RequestHead head, ConnectionInfo conn) {
        String rawPath = RequestPaths.rawPath(head.target());
        String root = config.rootPath();
        // As Uvicorn does: path and raw path include the root path, so apps and routers that strip it agree.
        return new HttpScope(head.version(), head.method(), conn.scheme(), root + RequestPaths.decode(rawPath),
                root + rawPath, RequestPaths.query(head.target()), root, head.headers(), conn.client(),
                conn.server(), state, extensions);
    }
}
