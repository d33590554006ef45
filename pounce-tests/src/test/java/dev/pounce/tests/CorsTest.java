package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.Response;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in CORS middleware against the Fetch standard's rules, through the JDK {@code HttpClient} over HTTP/1.1
 * and HTTP/2 (h2c): preflights answered without the app, allowed and refused; simple requests from allowed, other and
 * no origins; credentials (origin echoed with {@code Vary: Origin}, never {@code *}) against a wildcard server
 * without them; the app's own CORS fields left alone; and WebSocket handshakes from an origin not allowed denied.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CorsTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String ALLOWED = "http://app.example:8080";
    private static final AtomicInteger APP_CALLS = new AtomicInteger();

    /**
     * Counts its HTTP calls; {@code /own} answers with CORS fields and a {@code Vary} of its own. Accepts every
     * WebSocket session it is given, and says so.
     */
    private static final App HTTP = App.of(request -> {
        APP_CALLS.incrementAndGet();
        if (request.scope().path().equals("/own")) {
            return new Response(200, Headers.of("access-control-allow-origin", "https://app.own",
                    "vary", "Accept-Language", "content-type", "text/plain"), "own".getBytes());
        }
        return Response.text(200, "from the app");
    });
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final App APP = (scope, receive, send) -> {
        if (scope instanceof WebSocketScope) {
            receive.receive();
            SESSIONS.incrementAndGet();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            while (!(receive.receive() instanceof WebSocketMessage.Disconnect)) {
                // Only the handshake matters here.
            }
            return;
        }
        HTTP.call(scope, receive, send);
    };

    /** A listed origin, with credentials and an exposed field. */
    @RegisterExtension
    static final PounceServer LISTED = PounceServer.of(APP, c -> c.accessLog(false)
            .set("cors.allow-origin", ALLOWED + ",https://other.example")
            .set("cors.allow-credentials", "true")
            .set("cors.allow-methods", "GET,PUT,DELETE")
            .set("cors.allow-headers", "content-type,x-token")
            .set("cors.expose-headers", "x-request-id")
            .set("cors.max-age", "600"));

    /** Any origin, without credentials. */
    @RegisterExtension
    static final PounceServer ANY = PounceServer.of(APP, c -> c.accessLog(false).set("cors.allow-origin", "*"));

    /** The two protocols every rule is checked over. */
    enum Version {
        HTTP_1_1(HttpClient.Version.HTTP_1_1), HTTP_2(HttpClient.Version.HTTP_2);

        final HttpClient.Version version;

        Version(HttpClient.Version version) {
            this.version = version;
        }
    }

    private HttpClient h1;
    private HttpClient h2;

    @BeforeEach
    void clients() throws Exception {
        h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The JDK client upgrades its first cleartext request to h2c; after it, every request is HTTP/2.
        send(h2, LISTED, "GET", "/");
        send(h2, ANY, "GET", "/");
    }

    private HttpClient client(Version v) {
        return v == Version.HTTP_1_1 ? h1 : h2;
    }

    private static HttpResponse<String> send(HttpClient client, PounceServer server, String method, String path,
                                             String... headers) throws Exception {
        var b = HttpRequest.newBuilder(server.uri(path)).timeout(BOUND)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> checked(Version v, HttpResponse<String> r) {
        assertEquals(v.version, r.version(), "the protocol asked for");
        return r;
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static List<String> vary(HttpResponse<?> r) {
        return r.headers().allValues("vary").stream().flatMap(v -> List.of(v.split(",")).stream())
                .map(String::strip).toList();
    }

    private static void noCorsFields(HttpResponse<?> r) {
        r.headers().map().keySet().forEach(name ->
                assertFalse(name.toLowerCase().startsWith("access-control-"), name + " on " + r.headers().map()));
    }

    // ---- preflights ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void anAllowedPreflightIsAnsweredWithoutTheAppAndEchoesTheOrigin(Version v) throws Exception {
        int calls = APP_CALLS.get();
        var r = checked(v, send(client(v), LISTED, "OPTIONS", "/things/1", "Origin", ALLOWED,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "X-Token, Content-Type"));
        assertEquals(204, r.statusCode());
        assertEquals(calls, APP_CALLS.get(), "the app saw the preflight");
        assertEquals(ALLOWED, header(r, "access-control-allow-origin"), "with credentials, never *");
        assertEquals("true", header(r, "access-control-allow-credentials"));
        assertEquals("GET, PUT, DELETE", header(r, "access-control-allow-methods"));
        assertEquals("x-token, content-type", header(r, "access-control-allow-headers"));
        assertEquals("600", header(r, "access-control-max-age"));
        assertTrue(vary(r).contains("Origin"), r.headers().map().toString());
        assertEquals("", r.body());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aPreflightFromAnotherOriginGetsNoCorsFields(Version v) throws Exception {
        int calls = APP_CALLS.get();
        var r = checked(v, send(client(v), LISTED, "OPTIONS", "/", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "PUT"));
        assertEquals(403, r.statusCode());
        noCorsFields(r);
        assertTrue(r.body().contains("origin https://evil.example is not allowed (--cors-allow-origin)"), r.body());
        assertEquals(calls, APP_CALLS.get());
        // The origin is compared whole: another port or scheme is another origin.
        assertEquals(403, send(client(v), LISTED, "OPTIONS", "/", "Origin", "https://app.example:8080",
                "Access-Control-Request-Method", "PUT").statusCode());
        assertEquals(403, send(client(v), LISTED, "OPTIONS", "/", "Origin", "http://app.example",
                "Access-Control-Request-Method", "PUT").statusCode());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aPreflightForAMethodOrFieldNotAllowedIsRefused(Version v) throws Exception {
        var method = checked(v, send(client(v), LISTED, "OPTIONS", "/", "Origin", ALLOWED,
                "Access-Control-Request-Method", "PATCH"));
        assertEquals(403, method.statusCode());
        noCorsFields(method);
        assertTrue(method.body().contains("method PATCH"), method.body());
        var field = send(client(v), LISTED, "OPTIONS", "/", "Origin", ALLOWED,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-token, x-secret");
        assertEquals(403, field.statusCode());
        noCorsFields(field);
        assertTrue(field.body().contains("request field x-secret"), field.body());
        // GET, HEAD and POST are safelisted: they pass whatever the list says.
        assertEquals(204, send(client(v), LISTED, "OPTIONS", "/", "Origin", ALLOWED,
                "Access-Control-Request-Method", "POST").statusCode());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void anOptionsRequestThatIsNoPreflightGoesToTheApp(Version v) throws Exception {
        int calls = APP_CALLS.get();
        var r = checked(v, send(client(v), LISTED, "OPTIONS", "/", "Origin", ALLOWED));
        assertEquals(200, r.statusCode());
        assertEquals("from the app", r.body());
        assertEquals(calls + 1, APP_CALLS.get());
        assertEquals(ALLOWED, header(r, "access-control-allow-origin"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theWildcardServerAnswersAPreflightWithStar(Version v) throws Exception {
        var r = checked(v, send(client(v), ANY, "OPTIONS", "/", "Origin", "https://any.example",
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "x-anything"));
        assertEquals(204, r.statusCode());
        assertEquals("*", header(r, "access-control-allow-origin"));
        assertEquals(null, header(r, "access-control-allow-credentials"));
        assertEquals("x-anything", header(r, "access-control-allow-headers"));
        assertEquals("3600", header(r, "access-control-max-age"), "the default");
    }

    // ---- simple requests ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void anAllowedOriginReadsTheAnswerWithCredentials(Version v) throws Exception {
        var r = checked(v, send(client(v), LISTED, "GET", "/", "Origin", ALLOWED));
        assertEquals(200, r.statusCode());
        assertEquals("from the app", r.body());
        assertEquals(ALLOWED, header(r, "access-control-allow-origin"));
        assertEquals("true", header(r, "access-control-allow-credentials"));
        assertEquals("x-request-id", header(r, "access-control-expose-headers"));
        assertEquals(List.of("Origin"), vary(r));
        var second = send(client(v), LISTED, "GET", "/", "Origin", "https://other.example");
        assertEquals("https://other.example", header(second, "access-control-allow-origin"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void anotherOriginOrNoneGetsNoCorsFieldsButVaryOrigin(Version v) throws Exception {
        var other = checked(v, send(client(v), LISTED, "GET", "/", "Origin", "https://evil.example"));
        assertEquals(200, other.statusCode(), "CORS hides the answer from the page; the server still answers");
        noCorsFields(other);
        assertEquals(List.of("Origin"), vary(other), "a cache must not serve this answer to an allowed origin");
        var none = send(client(v), LISTED, "GET", "/");
        noCorsFields(none);
        assertEquals(List.of("Origin"), vary(none));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theWildcardServerSaysStarAndDoesNotVary(Version v) throws Exception {
        var r = checked(v, send(client(v), ANY, "GET", "/", "Origin", "https://any.example"));
        assertEquals("*", header(r, "access-control-allow-origin"));
        assertEquals(null, header(r, "access-control-allow-credentials"));
        assertEquals(List.of(), vary(r), "* does not depend on the origin");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theAppsOwnCorsFieldsAreNeverReplaced(Version v) throws Exception {
        var r = checked(v, send(client(v), LISTED, "GET", "/own", "Origin", ALLOWED));
        assertEquals(List.of("https://app.own"), r.headers().allValues("access-control-allow-origin"));
        assertEquals(null, header(r, "access-control-allow-credentials"), "the app does its own CORS");
        assertEquals(List.of("Accept-Language", "Origin"), vary(r), "the app's Vary kept, Origin added");
    }

    @Test
    void aWebSocketHandshakeFromAnOriginNotAllowedIsDeniedBeforeTheApp() throws Exception {
        var uri = java.net.URI.create("ws://127.0.0.1:" + LISTED.port() + "/socket");
        int sessions = SESSIONS.get();
        var refused = assertThrows(java.util.concurrent.ExecutionException.class, () -> h1.newWebSocketBuilder()
                .header("Origin", "https://evil.example").buildAsync(uri, new WebSocket.Listener() { })
                .get(30, TimeUnit.SECONDS));
        var handshake = (WebSocketHandshakeException) refused.getCause();
        assertEquals(403, handshake.getResponse().statusCode());
        assertEquals(sessions, SESSIONS.get(), "the app saw the handshake");
        // An allowed origin, and a client that sends none (not a browser), reach the app.
        for (var builder : List.of(h1.newWebSocketBuilder().header("Origin", ALLOWED), h1.newWebSocketBuilder())) {
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(30, TimeUnit.SECONDS);
        }
        assertEquals(sessions + 2, SESSIONS.get());
    }

    @Test
    void aPreflightAnswerStillCarriesTheServersOwnFields() throws Exception {
        var r = send(h1, LISTED, "OPTIONS", "/", "Origin", ALLOWED, "Access-Control-Request-Method", "DELETE");
        assertEquals(204, r.statusCode());
        assertTrue(header(r, "x-request-id") != null, "the server's own fields are still added");
    }
}
