package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.Middleware;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.MiddlewareProvider;

import java.util.Optional;

/**
 * The built-in security headers ({@link SecurityHeadersMiddleware}), on with {@code --security-headers} or
 * {@code --hsts-max-age}.
 */
public final class SecurityHeadersProvider implements MiddlewareProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public SecurityHeadersProvider() {
    }

    /** @return {@code security-headers} */
    @Override
    public String name() {
        return "security-headers";
    }

    /** @return 100: the outermost built-in, so its fields reach every answer, a CORS preflight's too */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public Optional<Middleware> create(ServerConfig config) {
        SecurityHeadersPolicy headers = config.section(SecurityHeadersSection.SECTION);
        return headers.active() ? Optional.of(new SecurityHeadersMiddleware(headers)) : Optional.empty();
    }
}
