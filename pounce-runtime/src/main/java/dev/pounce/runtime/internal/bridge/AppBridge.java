package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.Middleware;
import dev.pounce.api.Scope;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WebSocketScope;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.compress.ResponseCompression;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.runtime.internal.metrics.WorkerMetrics;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge of one worker: answers the health path and the metrics path itself ({@link HealthCheck},
 * {@link MetricsEndpoint}), counts what it serves in its slot's {@link WorkerMetrics}, believes a trusted proxy's fields
 * ({@link ProxyHeaders}), gives each request or WebSocket session its id ({@link RequestIds}), applies the load
 * limits ({@link RateLimiter}, {@link ConcurrencyLimit}: a refused request gets a {@link Refusal} and never reaches
 * the app), builds its scope and runs the app on a virtual thread, inside the server's and the app's middleware
 * ({@link MiddlewareChain}, which wraps the static files too). One instance per worker,
 * so its counters and limits are the worker's own and are merged only when read.
 */
public final class AppBridge implements WorkerBridge {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);

    private final App app;
    private final ServerConfig config;
    private final Map<String, Object> state;
    private final EventSink events;
    private final AccessLog accessLog;
    private final ThreadFactory appThreads;
    private final Runnable onRequestLimit;
    private final AltSvc altSvc;
    private final Readiness readiness;
    private final Optional<HealthCheck> health;
    private final ProxyHeaders proxies;
    private final WorkerMetrics metrics;
    private final Optional<MetricsEndpoint> scrapes;
    /** The per-client rate limit ({@code --rate-limit}), when on; used on the worker's event loop only. */
    private final Optional<RateLimiter> rateLimit;
    /** The cap on requests in flight and its queue ({@code --limit-concurrency}), when on. */
    private final Optional<ConcurrencyLimit> concurrency;
    private final Optional<StaticFiles> staticFiles;
    /** The server's middleware and the app's, around the static files and the app. */
    private final MiddlewareChain middleware;
    /** Response compression ({@code --no-compression} and {@code --compression-*}), when on. */
    private final Optional<ResponseCompression> compression;
    /** Connections open, for the health answer; changed and read on the worker's event loop only. */
    private int connections;
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
     * @param readiness      whether the server shuts down, for the health endpoint
     */
    public AppBridge(App app, ServerConfig config, WorkerIdentity worker, Map<String, Object> state,
                     EventSink events, ThreadFactory appThreads, Runnable onRequestLimit, AltSvc altSvc,
                     Readiness readiness) {
        this(app, config, worker, state, events, appThreads, onRequestLimit, altSvc, readiness,
                ServerMetrics.forServer(config, worker.id() + 1));
    }

    /**
     * The same, counting in the server's metrics.
     *
     * @param metrics the server's metrics: this worker counts in its slot's, and a scrape merges them all
     */
    public AppBridge(App app, ServerConfig config, WorkerIdentity worker, Map<String, Object> state,
                     EventSink events, ThreadFactory appThreads, Runnable onRequestLimit, AltSvc altSvc,
                     Readiness readiness, ServerMetrics metrics) {
        this(app, config, worker, state, events, appThreads, onRequestLimit, altSvc, readiness, metrics, List.of());
    }

    /**
     * The same, with the server's middleware around the app's own ({@link App#middleware()}).
     *
     * @param middleware the server's middleware (built-ins and plugins'), outermost first
     */
    public AppBridge(App app, ServerConfig config, WorkerIdentity worker, Map<String, Object> state,
                     EventSink events, ThreadFactory appThreads, Runnable onRequestLimit, AltSvc altSvc,
                     Readiness readiness, ServerMetrics metrics, List<Middleware> middleware) {
        this.app = app;
        this.config = config;
        this.state = state;
        this.worker = worker;
        this.events = events;
        this.accessLog = new AccessLog(config.accessLog(), config.accessLogFormat(), worker);
        this.appThreads = appThreads;
        this.onRequestLimit = onRequestLimit;
        this.altSvc = altSvc;
        this.readiness = readiness;
        this.health = HealthCheck.of(config, worker);
        this.proxies = new ProxyHeaders(config.forwardedAllowIps());
        this.metrics = metrics.worker(worker.id());
        this.scrapes = MetricsEndpoint.of(config, metrics);
        this.rateLimit = RateLimiter.of(config.loadLimits());
        this.concurrency = ConcurrencyLimit.of(config.loadLimits());
        this.staticFiles = StaticFiles.of(config);
        this.middleware = MiddlewareChain.of(middleware, app == null ? List.of() : app.middleware());
        this.compression = ResponseCompression.of(config);
    }

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        RequestHead head = exchange.head();
        RequestOrigin origin = proxies.resolve(head.headers(), exchange.connection());
        String id = RequestIds.of(head.headers(), origin.trustedPeer());
        if (health.isPresent() && health.get().matches(head.target())) {
            return answerHealth(health.get(), exchange, origin, id);
        }
        if (scrapes.isPresent() && scrapes.get().matches(head.target())) {
            return answerScrape(scrapes.get(), exchange, origin, id);
        }
        long wait = rateLimit.isPresent() ? rateLimit.get().take(origin.client()) : 0;
        if (wait > 0) {
            return refuse(exchange, origin, id, Refusal.rateLimited(wait), System.nanoTime());
        }
        if (staticFiles.isPresent()) {
            Optional<StaticFiles.Match> file = staticFiles.get().match(head.target());
            if (file.isPresent()) {
                return answerStatic(exchange, file.get(), origin, id);
            }
        }
        var scope = scopeOf(head, exchange.connection(), origin, origin.httpScheme(), id);
        var call = new HttpCall(this, exchange, scope, id);
        if (concurrency.isPresent()) {
            return admit(concurrency.get(), call, scope, exchange, origin, id);
        }
        dispatch(call, exchange.connection(), scope, Optional.empty());
        return call;
    }

    /**
     * Dispatches the call if a slot is free, else queues it, else refuses it ({@code --limit-concurrency}). On the
     * event loop.
     */
    private RequestBodySink admit(ConcurrencyLimit limit, HttpCall call, HttpScope scope, HttpExchange exchange,
                                  RequestOrigin origin, String id) {
        if (limit.tryStart()) {
            dispatch(call, exchange.connection(), scope, concurrency);
            return call;
        }
        long queued = System.nanoTime();
        var waiting = new QueuedRequest(call, limit, c -> dispatch(c, exchange.connection(), scope, concurrency),
                () -> refuse(exchange, origin, id, Refusal.overloaded("no slot freed within --timeout-queue"), queued));
        if (limit.enqueue(exchange.eventLoop(), waiting)) {
            return waiting;
        }
        return refuse(exchange, origin, id, Refusal.overloaded("--limit-concurrency reached, --limit-queue full"),
                queued);
    }

    /**
     * Starts the app's call on its thread; with a slot, the call gives it back when it is over.
     *
     * @param slot the limit the call holds a slot of, or empty
     */
    private void dispatch(HttpCall call, ConnectionInfo connection, HttpScope scope, Optional<ConcurrencyLimit> slot) {
        started(connection, scope.method(), scope.rawPath(), scope.httpVersion());
        Runnable run = slot.isEmpty() ? call : () -> {
            try {
                call.run();
            } finally {
                slot.get().release();
            }
        };
        appThreads.newThread(run).start();
    }

    /**
     * Answers a request that a load limit refused, before the app saw it, and logs it as any other answer. On the
     * event loop.
     *
     * @param begun when the request reached the bridge, for the access log's duration
     * @return a sink that drops whatever body the protocol still delivers
     */
    private RequestBodySink refuse(HttpExchange exchange, RequestOrigin origin, String id, Refusal refusal,
                                   long begun) {
        RequestHead head = exchange.head();
        int bytes = refusal.answer(exchange, id);
        metrics.rejected(refusal.status());
        LOG.debug("refused request {} on connection {} from {}: {} {}", id, exchange.connection().id(),
                origin.client().map(Endpoint::toString).orElse("unix"), refusal.status(), refusal.reason());
        accessLog.log(origin.client(), head.method(), head.target(), head.version(), refusal.status(), bytes,
                System.nanoTime() - begun, id);
        return DrainBridge.DISCARD;
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        RequestHead head = session.head();
        ConnectionInfo conn = session.connection();
        RequestOrigin origin = proxies.resolve(head.headers(), conn);
        String id = RequestIds.of(head.headers(), origin.trustedPeer());
        if (health.isPresent() && health.get().matches(head.target())
                || scrapes.isPresent() && scrapes.get().matches(head.target())) {
            long begun = System.nanoTime();
            session.deny(405, HealthCheck.refusal(id), Unpooled.wrappedBuffer(HealthCheck.refusalBody()));
            accessLog.session(origin.client(), head.method(), head.target(), head.version(), 405, HealthCheck.refusalBody().length,
                    System.nanoTime() - begun, id, Optional.empty());
            return DrainBridge.IGNORED;
        }
        // A session holds no slot (it may last for hours), but a handshake is refused while the worker is full.
        long wait = rateLimit.isPresent() ? rateLimit.get().take(origin.client()) : 0;
        if (wait > 0 || concurrency.isPresent() && concurrency.get().saturated()) {
            long begun = System.nanoTime();
            Refusal refusal = wait > 0 ? Refusal.rateLimited(wait)
                    : Refusal.overloaded("--limit-concurrency reached: WebSocket handshakes are not queued");
            int bytes = refusal.deny(session, id);
            metrics.rejected(refusal.status());
            LOG.debug("refused WebSocket handshake {} on connection {}: {} {}", id, conn.id(), refusal.status(),
                    refusal.reason());
            accessLog.session(origin.client(), head.method(), head.target(), head.version(), refusal.status(), bytes,
                    System.nanoTime() - begun, id, Optional.empty());
            return DrainBridge.IGNORED;
        }
        HttpScope http = scopeOf(head, conn, origin, origin.webSocketScheme(), id);
        var scope = new WebSocketScope(head.version(), http.scheme(), http.path(), http.rawPath(),
                http.queryString(), http.rootPath(), http.headers(), http.client(), conn.server(),
                session.subprotocols(), state, http.extensions());
        started(conn, head.method(), scope.rawPath(), scope.httpVersion());
        var call = new WebSocketCall(this, session, scope, id);
        appThreads.newThread(call).start();
        return call;
    }

    /** A probe gets its answer here, on the event loop; any other method a {@code 405}, which is logged. */
    private RequestBodySink answerHealth(HealthCheck check, HttpExchange exchange, RequestOrigin origin, String id) {
        RequestHead head = exchange.head();
        if (HealthCheck.probes(head.method())) {
            check.answer(exchange, id, readiness.draining(), connections);
        } else {
            long begun = System.nanoTime();
            int bytes = HealthCheck.refuse(exchange, id);
            accessLog.log(origin.client(), head.method(), head.target(), head.version(), 405, bytes,
                    System.nanoTime() - begun, id);
        }
        return DrainBridge.DISCARD;
    }

    /** A scrape gets its answer from its own thread; any other method the {@code 405} of the health path. */
    private RequestBodySink answerScrape(MetricsEndpoint endpoint, HttpExchange exchange, RequestOrigin origin,
                                         String id) {
        RequestHead head = exchange.head();
        if (HealthCheck.probes(head.method())) {
            endpoint.answer(exchange, id);
        } else {
            long begun = System.nanoTime();
            int bytes = HealthCheck.refuse(exchange, id);
            accessLog.log(origin.client(), head.method(), head.target(), head.version(), 405, bytes,
                    System.nanoTime() - begun, id);
        }
        return DrainBridge.DISCARD;
    }

    /**
     * A request for a static file gets its answer from its own virtual thread, which may block on the disk; it is
     * in flight until then, so a drain waits for it.
     */
    private RequestBodySink answerStatic(HttpExchange exchange, StaticFiles.Match match, RequestOrigin origin,
                                         String id) {
        inFlight.incrementAndGet();
        // Middleware wraps the static files too, so they see the request's scope as the app would.
        Optional<HttpScope> scope = middleware.isEmpty() ? Optional.empty()
                : Optional.of(scopeOf(exchange.head(), exchange.connection(), origin, origin.httpScheme(), id));
        var response = new StaticResponse(this, exchange, match, origin, id, scope);
        Thread.ofVirtual().name("pounce-static").start(response);
        return response;
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
    public Headers rejected(ConnectionInfo connection, int status, String reason) {
        // The request could not be read, so its X-Request-ID cannot be either: a rejection always gets a new id.
        String id = RequestIds.generate();
        LOG.debug("rejected request {} on connection {} from {}: {} {}", id, connection.id(),
                connection.client().map(Endpoint::toString).orElse("unix"), status, reason);
        accessLog.rejected(connection, status, reason, id);
        metrics.rejected(status);
        return Headers.of(RequestIds.HEADER, id);
    }

    @Override
    public void connectionOpened(ConnectionInfo info) {
        connections++;
        metrics.connectionOpened();
        if (events.active()) {
            open.put(info.id(), new ConnectionTally());
            events.publish(new LifecycleEvent.ConnectionOpened(worker, info.id(), info.client(), info.server()));
        }
    }

    @Override
    public void connectionClosed(ConnectionInfo info) {
        connections--;
        metrics.connectionClosed();
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

    WorkerMetrics metrics() {
        return metrics;
    }

    AltSvc altSvc() {
        return altSvc;
    }

    MiddlewareChain middleware() {
        return middleware;
    }

    Optional<ResponseCompression> compression() {
        return compression;
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /**
     * The scope's parts that HTTP and WebSocket share, with the client, scheme and host as believed: a trusted
     * proxy's, else the connection's ({@link ProxyHeaders}).
     *
     * @param scheme {@code http}/{@code https}, or {@code ws}/{@code wss} for a WebSocket session's scope
     */
    private HttpScope scopeOf(RequestHead head, ConnectionInfo conn, RequestOrigin origin, String scheme,
                              String requestId) {
        String rawPath = RequestPaths.rawPath(head.target());
        String root = config.rootPath();
        // As Uvicorn does: path and raw path include the root path, so apps and routers that strip it agree.
        return new HttpScope(head.version(), head.method(), scheme, root + RequestPaths.decode(rawPath),
                root + rawPath, RequestPaths.query(head.target()), root, origin.applyHost(head.headers()),
                origin.client(), conn.server(), state, Map.of(Scope.WORKER, worker, Scope.REQUEST_ID, requestId));
    }
}
