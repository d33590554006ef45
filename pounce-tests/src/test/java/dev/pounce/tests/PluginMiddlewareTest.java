package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.Response;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerStartException;
import dev.pounce.testing.PounceServer;
import dev.pounce.tests.stamp.StampProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third party's middleware: the test plugin {@code dev.pounce.tests.stamp} (a {@code MiddlewareProvider} and its
 * {@code ConfigSection}, registered in {@code META-INF/services}) is found by {@link java.util.ServiceLoader}, switched
 * on by its own setting, runs outside the app's middleware and beside the built-in CORS, and a bad value of its
 * setting stops the start naming the key.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PluginMiddlewareTest {

    private static final Middleware APP_OWN = new Middleware() {
        @Override
        public Optional<Response> beforeRequest(HttpScope scope) {
            StampProvider.SEEN.add("app's " + scope.path());
            return Optional.empty();
        }

        @Override
        public void onResponseStart(HttpScope scope, dev.pounce.api.ResponseHead head) {
            head.addToList("x-trail", "app's");
        }
    };

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(
            App.of(request -> Response.text(200, "from the app")).with(APP_OWN),
            c -> c.accessLog(false).set("stamp.value", "stamped").set("cors.allow-origin", "https://page.example"));

    @Test
    void thePluginIsFoundSwitchedOnByItsSettingAndRunsOutsideTheAppsMiddleware() throws Exception {
        StampProvider.SEEN.clear();
        var client = HttpClient.newHttpClient();
        var r = client.send(HttpRequest.newBuilder(SERVER.uri("/hello")).timeout(Duration.ofSeconds(30))
                .header("Origin", "https://page.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("from the app", r.body());
        assertEquals(List.of("stamped"), r.headers().allValues("x-stamp"));
        assertEquals(List.of("stamp /hello", "app's /hello"), StampProvider.SEEN, "the server's first");
        assertEquals(List.of("app's", "stamp"), r.headers().allValues("x-trail"), "the server's last");
        assertEquals(List.of("https://page.example"), r.headers().allValues("access-control-allow-origin"));
        assertTrue(Server.plugins().stream().anyMatch(p -> p.kind().equals("middleware") && p.name().equals("stamp")),
                Server.plugins().toString());
    }

    @Test
    void aBadValueOfThePluginsSettingStopsTheStartNamingTheKey() {
        var config = ServerConfig.builder().host("127.0.0.1").port(0).set("stamp.value", "a,b").build();
        var e = assertThrows(ServerStartException.class,
                () -> Server.builder(App.of(request -> Response.text(200, "x")), config).start().close());
        assertTrue(e.getMessage().startsWith("stamp.value must be printable ASCII without commas"), e.getMessage());
    }

    @Test
    void aBuiltInsBadValueNamesItsKey() {
        var config = ServerConfig.builder().host("127.0.0.1").port(0).set("cors.max-age", "86401").build();
        var e = assertThrows(ServerStartException.class,
                () -> Server.builder(App.of(request -> Response.text(200, "x")), config).start().close());
        assertEquals("cors.max-age must be between 0 and 86400, got 86401", e.getMessage());
    }
}
