package dev.pounce.tests.stamp;

import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.ResponseHead;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.MiddlewareProvider;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A third party's middleware as a test plugin, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services}: with {@code stamp.value} set it adds {@code x-stamp} and records its before hooks.
 */
public final class StampProvider implements MiddlewareProvider {

    /** The paths whose before hook ran, in order, for the test to read. */
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    /** Called by {@link java.util.ServiceLoader}. */
    public StampProvider() {
    }

    @Override
    public String name() {
        return "stamp";
    }

    @Override
    public Optional<Middleware> create(ServerConfig config) {
        String value = config.section(StampSection.SECTION).value();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Middleware() {
            @Override
            public Optional<dev.pounce.api.Response> beforeRequest(HttpScope scope) {
                SEEN.add("stamp " + scope.path());
                return Optional.empty();
            }

            @Override
            public void onResponseStart(HttpScope scope, ResponseHead head) {
                head.setIfAbsent("x-stamp", value);
                head.addToList("x-trail", "stamp");
            }
        });
    }
}
