package dev.pounce.spi;

import dev.pounce.api.Middleware;
import dev.pounce.api.ServerConfig;

import java.util.Optional;

/**
 * A plugin's middleware, found by {@link java.util.ServiceLoader}
 * ({@code provides dev.pounce.spi.MiddlewareProvider with ...}) on the module path or in the plugin folders, as
 * protocols are. The built-in CORS and security headers are two of these, in the runtime.
 *
 * <p>The runtime calls {@link #create} once per server (and once in each process worker), on the thread that starts
 * it, after the config is frozen with every plugin's {@link dev.pounce.api.ConfigSection} built; so a provider
 * reads its flags from its own section ({@code config.section(MySection.SECTION)}) and answers whether it is on. The
 * middleware it makes is shared by every worker and runs on the requests' virtual threads (see {@link Middleware}).
 * A provider that throws is a start failure, named in the server's one-line reason.
 */
public interface MiddlewareProvider {

    /** @return a short lower-case name for logs and {@code pounce info}, such as {@code cors} */
    String name();

    /**
     * Where the middleware stands among the server's: lower is outer (its before hook runs earlier, its response
     * hooks later). The built-ins are {@code security-headers} at 100 and {@code cors} at 200; ties go by name.
     *
     * @return the position, 1000 unless overridden
     */
    default int order() {
        return 1000;
    }

    /**
     * @param config the frozen config, every plugin section built
     * @return the middleware, or empty when its settings leave it off
     * @throws dev.pounce.api.ConfigException naming the key at fault, for a rule between settings
     */
    Optional<Middleware> create(ServerConfig config);
}
