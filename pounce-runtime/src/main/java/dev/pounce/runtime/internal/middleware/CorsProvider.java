package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.Middleware;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.MiddlewareProvider;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** The built-in CORS middleware ({@link CorsMiddleware}), on when {@code --cors-allow-origin} names an origin. */
public final class CorsProvider implements MiddlewareProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public CorsProvider() {
    }

    /** @return {@code cors} */
    @Override
    public String name() {
        return "cors";
    }

    /** @return 200: inside the security headers, so they also reach a preflight's answer */
    @Override
    public int order() {
        return 200;
    }

    @Override
    public Optional<Middleware> create(ServerConfig config) {
        CorsPolicy cors = config.section(CorsSection.SECTION);
        if (!cors.enabled()) {
            return Optional.empty();
        }
        if (cors.anyOrigin() && cors.allowCredentials()) {
            LoggerFactory.getLogger(LogNames.SERVER).warn("--cors-allow-origin * with --cors-allow-credentials: "
                    + "every site's pages may read responses made with the user's cookies; list the origins instead");
        }
        return Optional.of(new CorsMiddleware(cors));
    }
}
