package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpScope;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the bridge does to a request head before the app runs, with the runtime's own code: the client and scheme
 * as believed ({@code ProxyHeaders.resolve}), the request id ({@code RequestIds.of}), and the {@link HttpScope}
 * (AppBridge's private {@code scopeOf}, reached through a method handle so the measured code is the shipped one).
 * The head is a browser-like GET with eight fields and a query, over a plain connection with no trusted proxy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScopeBenchmark {

    private static final MethodHandle SCOPE_OF;

    static {
        try {
            SCOPE_OF = MethodHandles.privateLookupIn(AppBridge.class, MethodHandles.lookup()).findVirtual(
                    AppBridge.class, "scopeOf", MethodType.methodType(HttpScope.class, RequestHead.class,
                            ConnectionInfo.class, RequestOrigin.class, String.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AppBridge bridge;
    private ProxyHeaders proxies;
    private RequestHead head;
    private ConnectionInfo connection;

    /** The runtime's bridge with the default config, and one request head. */
    @Setup
    public void setUp() {
        ServerConfig config = ServerConfig.builder().accessLog(false).build();
        bridge = new AppBridge((scope, receive, send) -> { }, config, new WorkerIdentity(0, 0), new HashMap<>(),
                new EventSink() {
                    @Override
                    public void publish(dev.pounce.api.LifecycleEvent event) {
                    }

                    @Override
                    public boolean active() {
                        return false;
                    }
                }, Thread.ofVirtual().factory(), () -> { }, AltSvc.NONE, new Readiness());
        proxies = new ProxyHeaders(config.forwardedAllowIps());
        head = new RequestHead("GET", "/search/caf%C3%A9?q=pounce&page=2", "1.1", Headers.wrap(new String[] {
            "host", "localhost:8000",
            "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "accept-language", "en-GB,en;q=0.5",
            "accept-encoding", "gzip, deflate, br, zstd",
            "connection", "keep-alive",
            "cookie", "session=3f9a2c7e5b1d4e8f; theme=dark",
            "upgrade-insecure-requests", "1"}));
        connection = new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.of(new Endpoint("127.0.0.1", 50000)),
                Optional.of(new Endpoint("127.0.0.1", 8000)), false);
    }

    /**
     * @return the scope an app would be given for the head
     * @throws Throwable never: the method handle's signature is exact
     */
    @Benchmark
    public HttpScope originIdAndScope() throws Throwable {
        RequestOrigin origin = proxies.resolve(head.headers(), connection);
        String id = RequestIds.of(head.headers(), origin.trustedPeer());
        return (HttpScope) SCOPE_OF.invokeExact(bridge, head, connection, origin, "http", id);
    }
}
