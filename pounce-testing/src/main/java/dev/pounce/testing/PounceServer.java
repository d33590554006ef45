package dev.pounce.testing;

import dev.pounce.api.App;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that runs a real Pounce server for a test class (or a test method): started on a free port
 * before the first test, stopped gracefully after the last, with a bounded wait.
 * <pre>{@code
 * class HelloTest {
 *     @RegisterExtension
 *     static PounceServer server = PounceServer.of(new HelloApp(), config -> config.workers(2));
 *
 *     @Test
 *     void hello() throws Exception {
 *         var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/")).build(),
 *                 HttpResponse.BodyHandlers.ofString());
 *         assertEquals(200, response.statusCode());
 *     }
 * }
 * }</pre>
 *
 * <p>Registered on a {@code static} field, one server serves the whole class; on an instance field, each test gets
 * its own. The server is built with {@link Server#builder}, so protocol plugins are found by
 * {@link java.util.ServiceLoader} on the test's class path or module path as they would be in production: a plugin
 * author puts the plugin jar on the test path and tests it through this fixture.
 *
 * <p>The configuration starts from {@link ServerConfig#builder()} with host {@code 127.0.0.1} and port {@code 0};
 * the customiser may change anything (a Unix socket, limits, timeouts). If the server does not stop within its
 * graceful-shutdown timeout plus {@link #STOP_MARGIN}, it is stopped at once and the test class fails, since a server
 * that does not stop is a bug worth hearing about.
 */
public final class PounceServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** How much longer than the graceful-shutdown timeout the fixture waits for the server to stop. */
    public static final Duration STOP_MARGIN = Duration.ofSeconds(10);

    private final App app;
    private final Consumer<ServerConfig.Builder> customiser;
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private volatile ServerHandle handle;
    private volatile ServerConfig config;
    private boolean perClass;

    private PounceServer(App app, Consumer<ServerConfig.Builder> customiser) {
        this.app = Objects.requireNonNull(app, "app");
        this.customiser = Objects.requireNonNull(customiser, "customiser");
    }

    /**
     * A server for {@code app} with the defaults, on {@code 127.0.0.1} and a free port.
     *
     * @param app the application to serve
     * @return the fixture, to register with {@code @RegisterExtension}
     */
    public static PounceServer of(App app) {
        return new PounceServer(app, b -> { });
    }

    /**
     * A server for {@code app} whose configuration the test adjusts.
     *
     * @param app        the application to serve
     * @param customiser changes the builder, which already holds host {@code 127.0.0.1} and port {@code 0}
     * @return the fixture, to register with {@code @RegisterExtension}
     */
    public static PounceServer of(App app, Consumer<ServerConfig.Builder> customiser) {
        return new PounceServer(app, customiser);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws ServerStartException {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws ServerStartException {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (!perClass) {
            stop();
        }
    }

    private void start() throws ServerStartException {
        var builder = ServerConfig.builder().host("127.0.0.1").port(0);
        customiser.accept(builder);
        config = builder.build();
        events.clear();
        handle = Server.builder(app, config).listener(events::add).start();
    }

    private void stop() throws InterruptedException {
        ServerHandle h = handle;
        if (h == null) {
            return;
        }
        handle = null;
        h.shutdown();
        Duration bound = config.timeouts().gracefulShutdown().plus(STOP_MARGIN);
        if (!h.awaitTermination(bound)) {
            h.stopNow();
            h.awaitTermination(STOP_MARGIN);
            throw new AssertionError("the server did not stop within " + bound.toSeconds()
                    + " s of a graceful shutdown; it was stopped at once");
        }
    }

    /** @return the running server; fails if it is not running */
    public ServerHandle handle() {
        ServerHandle h = handle;
        if (h == null) {
            throw new IllegalStateException("the server is not running: register PounceServer with "
                    + "@RegisterExtension and use it from a test");
        }
        return h;
    }

    /** @return the configuration the server runs with, as built and validated */
    public ServerConfig config() {
        if (config == null) {
            throw new IllegalStateException("the server has not been started yet");
        }
        return config;
    }

    /** @return the bound TCP address, the real port included; fails on a Unix domain socket */
    public InetSocketAddress address() {
        return handle().tcpAddress().orElseThrow(() ->
                new IllegalStateException("the server listens on a Unix domain socket, not on TCP"));
    }

    /** @return the bound TCP port */
    public int port() {
        return address().getPort();
    }

    /** @return the host the server was bound to, as a URI authority host ({@code [::1]} for IPv6) */
    public String host() {
        String host = config().host();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /**
     * @param pathAndQuery an origin-form target starting with {@code /}, such as {@code /items?id=3}
     * @return {@code http://host:port} followed by it
     */
    public URI uri(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with '/', got '" + pathAndQuery + "'");
        }
        return URI.create("http://" + host() + ":" + port() + pathAndQuery);
    }

    /**
     * Every lifecycle event the server published since it started, in order: server and worker starts, one
     * {@link LifecycleEvent.RequestCompleted} per response, drains and stops.
     *
     * @return a live, thread-safe view
     */
    public List<LifecycleEvent> events() {
        return events;
    }
}
