package dev.pounce.h2;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A real Pounce server on 127.0.0.1 and a free port, found plugins and all (HTTP/1.1 and this HTTP/2 plugin, by
 * {@link java.util.ServiceLoader} on the test class path), stopped when closed.
 */
final class TestServer implements AutoCloseable {

    private final ServerHandle handle;

    private TestServer(ServerHandle handle) {
        this.handle = handle;
    }

    static TestServer start(App app) throws Exception {
        return start(app, b -> { });
    }

    static TestServer start(App app, Consumer<ServerConfig.Builder> customiser) throws Exception {
        var builder = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .gracefulShutdownTimeout(Duration.ofSeconds(5));
        customiser.accept(builder);
        return new TestServer(Server.builder(app, builder.build()).start());
    }

    int port() {
        return handle.tcpAddress().orElseThrow().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    ServerHandle handle() {
        return handle;
    }

    @Override
    public void close() {
        handle.shutdown();
        try {
            if (!handle.awaitTermination(Duration.ofSeconds(15))) {
                handle.stopNow();
            }
        } catch (InterruptedException e) {
            handle.stopNow();
            Thread.currentThread().interrupt();
        }
    }
}
