/**
 * The Pounce runtime: the server lifecycle, workers and the supervisor, listeners and transports, the bridges from
 * protocols to the app, TLS, and the built-in {@code thread} and {@code process} worker strategies.
 *
 * <p>It never names a plugin class: it {@code uses} the SPIs and finds providers with {@link java.util.ServiceLoader}.
 * Only {@code dev.pounce.runtime} is exported; everything under it is internal.
 * <pre>{@code
 * try (ServerHandle server = Server.builder(app, ServerConfig.builder().port(0).build()).start()) {
 *     System.out.println("serving on " + server.addresses());
 *     server.awaitTermination();
 * }
 * }</pre>
 */
module dev.pounce.runtime {
    requires transitive dev.pounce.api;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
    // TLS (internal.tls): SslHandler, SslContext, ALPN.
    requires io.netty.handler;
    // The OpenSSL engine's Java side; io.netty.handler reads it only through "requires static", so naming it here
    // keeps it resolved. Its native module (io.netty.internal.tcnative.openssl.linux.x86_64) must be resolved by
    // the launcher (--add-modules); without it the JDK engine serves.
    requires io.netty.tcnative.classes.openssl;
    // sun.misc.Signal: SIGTERM, SIGINT and SIGHUP handling with a second signal that exits at once.
    requires jdk.unsupported;
    // Metrics (internal.metrics): process CPU time and file descriptors (com.sun.management), the virtual-thread
    // scheduler's counts (jdk.management); java.management comes with it (heap, GC, threads).
    requires jdk.management;
    // Response compression (internal.compress): zstd and brotli when their modules are on the module path; gzip is
    // java.util.zip's. Optional, so the jlink image links without them and serves gzip.
    requires static com.github.luben.zstd_jni;
    requires static com.aayushatharva.brotli4j;

    exports dev.pounce.runtime;

    // AppReference with no APP spec: the one provider of App (in the parent, in process workers, on reload).
    uses dev.pounce.api.App;
    // Each plugin's own settings, built into the frozen config at startup.
    uses dev.pounce.api.ConfigSection;
    uses dev.pounce.api.LifecycleListener;
    // Bytes before the protocol, such as the PROXY protocol header; read by internal.worker.PreambleReader.
    uses dev.pounce.spi.ConnectionPreamble;
    uses dev.pounce.spi.ProtocolHandler;
    // h2c: a whole HTTP/1.1 connection taken over by another protocol.
    uses dev.pounce.spi.ConnectionTakeover;
    // WebSocket and third parties' tokens: upgrade offers that end in tunnels.
    uses dev.pounce.spi.UpgradeProvider;
    uses dev.pounce.spi.WorkerStrategy;
    // Middleware around the app on every protocol: the built-ins below and third parties'.
    uses dev.pounce.spi.MiddlewareProvider;

    // --worker-strategy thread: N event-loop workers in this JVM, each accepting on its slot's SO_REUSEPORT socket;
    // --worker-strategy process: N child JVMs (internal.process.ChildMain), each handed its slot's socket.
    provides dev.pounce.spi.WorkerStrategy with dev.pounce.runtime.internal.worker.ThreadWorkerStrategy,
            dev.pounce.runtime.internal.process.ProcessWorkerStrategy;

    // The built-in middleware, found as a plugin's would be: --cors-allow-origin and friends (internal.middleware).
    provides dev.pounce.spi.MiddlewareProvider with dev.pounce.runtime.internal.middleware.SecurityHeadersProvider,
            dev.pounce.runtime.internal.middleware.CorsProvider;
    // Their flags and [cors] / [security-headers] keys: --cors-*, --security-headers, --hsts-max-age, ...
    provides dev.pounce.api.ConfigSection with dev.pounce.runtime.internal.middleware.CorsSection,
            dev.pounce.runtime.internal.middleware.SecurityHeadersSection;
}
