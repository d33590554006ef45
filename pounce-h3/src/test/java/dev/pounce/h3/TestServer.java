package dev.pounce.h3;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A real Pounce server on 127.0.0.1 and a free port, with TLS from a throwaway certificate and HTTP/3 on (the
 * plugins, this one included, found by {@link java.util.ServiceLoader} on the test class path), stopped when closed.
 */
final class TestServer implements AutoCloseable {

    private final ServerHandle handle;

    private TestServer(ServerHandle handle) {
        this.handle = handle;
    }

    static TestServer start(App app, SelfSignedPem pem) throws Exception {
        return start(app, pem, b -> { });
    }

    static TestServer start(App app, SelfSignedPem pem, Consumer<ServerConfig.Builder> customiser) throws Exception {
        var builder = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .gracefulShutdownTimeout(Duration.ofSeconds(10))
                .sslCertFile(pem.certFile()).sslKeyFile(pem.keyFile())
                .set("http3.enabled", "true");
        customiser.accept(builder);
        return new TestServer(Server.builder(app, builder.build()).start());
    }

    int port() {
        return handle.tcpAddress().orElseThrow().getPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    ServerHandle handle() {
        return handle;
    }

    @Override
    public void close() {
        handle.shutdown();
        try {
            if (!handle.awaitTermination(Duration.ofSeconds(20))) {
                handle.stopNow();
            }
        } catch (InterruptedException e) {
            handle.stopNow();
            Thread.currentThread().interrupt();
        }
    }
}
