/**
 * The {@code pounce} command: parses the flags into a {@link dev.pounce.api.ServerConfig}, loads the app, sets up
 * logging and runs the server, or with {@code pounce check} only checks that it could.
 * <pre>{@code
 * pounce --port 8080 --workers 0 com.example.HelloApp
 * pounce check com.example.Apps::hello
 * pounce                      # the one module that provides dev.pounce.api.App
 * }</pre>
 *
 * <p>It names no plugin: protocols, worker strategies and the logging backend are found by
 * {@link java.util.ServiceLoader} on the module path that the launcher builds. Each plugin's
 * {@link dev.pounce.api.ConfigSection} becomes flags, found before the command line is parsed (the runtime's
 * {@code Server.configSections()}) and listed in {@code pounce --help} under the plugin's title:
 * <pre>{@code
 * pounce --no-http2 --proxy-protocol-trusted 10.0.0.0/8 com.example.HelloApp
 * }</pre>
 *
 * <p>Every flag is also a key of {@code pounce.toml} (or {@code --config FILE}) and a {@code POUNCE_*} variable;
 * flags win over variables, variables over the file:
 * <pre>{@code
 * POUNCE_WORKERS=4 pounce config show     # each setting, its value and where it came from
 * pounce bench --protocols h1,h2c --report bench.html   # the server measured on this machine
 * }</pre>
 */
module dev.pounce.cli {
    // Server, ServerHandle, ServerStartException; dev.pounce.api (and slf4j) come along transitively.
    requires dev.pounce.runtime;
    requires info.picocli;
    // Read through dev.pounce.api already; named because Main logs a user error's cause at debug.
    requires org.slf4j;
    // pounce bench's load client (dev.pounce.cli.bench): HTTP/1.1 and h2c over NIO sockets.
    requires io.netty.codec.http;
    requires io.netty.codec.http2;
    // pounce bench: the load client's own CPU time (ThreadMXBean), taken away from this JVM's to get the server's.
    requires java.management;

    // picocli sets the @Option fields, and the @Spec of the options mixin, by reflection.
    opens dev.pounce.cli to info.picocli;
    // pounce bench serves BenchApp by name, as any APP, so that process workers and reloads can load it too.
    exports dev.pounce.cli.bench to dev.pounce.runtime;

    // `pounce` with no APP serves the one App provider on the module path (or in a class-path jar).
    uses dev.pounce.api.App;
}
