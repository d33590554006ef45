package dev.pounce.bench;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The server side of {@code ws-bench.sh}: the demo app (found as the one {@link App} provider on the class path, so
 * {@code /ws} echoes) on a Pounce server with the plugins on the class path, no access log and no connection limit.
 * Prints {@code listening on PORT} once bound and runs until killed.
 *
 * <p>This module depends only on the API, and its pom is shared with the other benchmarks, so the runtime's two
 * calls ({@code Server.builder(app, config).start()} and {@code tcpAddress()}) are made by name; the script puts
 * the runtime, the plugins and the demo on the class path.
 *
 * <pre>{@code
 * java -cp "$CP" dev.pounce.bench.WsBenchServer --port 0 --workers 1 ws.deflate-min-size=0
 * }</pre>
 */
public final class WsBenchServer {

    private WsBenchServer() {
    }

    /**
     * @param args {@code --port N}, {@code --workers N}, then plugin settings as {@code key=value}
     * @throws Exception if the server does not start
     */
    public static void main(String[] args) throws Exception {
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false).maxConnections(0)
                .gracefulShutdownTimeout(Duration.ofSeconds(2));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> config.port(Integer.parseInt(args[++i]));
                case "--workers" -> config.workers(Integer.parseInt(args[++i]));
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("expected --port, --workers or key=value: " + args[i]);
                    }
                    config.set(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        App app = ServiceLoader.load(App.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no App provider on the class path (the demo jar)"));
        Class<?> server = Class.forName("dev.pounce.runtime.Server");
        Object builder = server.getMethod("builder", App.class, ServerConfig.class).invoke(null, app, config.build());
        Object handle = builder.getClass().getMethod("start").invoke(builder);
        Method address = Class.forName("dev.pounce.runtime.ServerHandle").getMethod("tcpAddress");
        var bound = (InetSocketAddress) ((Optional<?>) address.invoke(handle)).orElseThrow();
        System.out.println("listening on " + bound.getPort() + " pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
