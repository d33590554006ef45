package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.Response;
import dev.pounce.api.ResponseHead;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The middleware API end to end: an app declares three middleware ({@code App.with}, called twice to check how
 * calls compose), each recording its hooks, and the JDK {@code HttpClient} asks over HTTP/1.1 and HTTP/2. Checked:
 * the order of every hook, an early answer that skips the app and the middleware inside it, the response-start rule
 * (a field the app set is kept unless a hook replaces it on purpose), an exception hook that replaces the
 * {@code 500} and the {@code 500} when none does, and what the after hooks observe.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MiddlewareHooksTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    /** What the hooks and the app did, in order. */
    private static final List<String> LOG = new CopyOnWriteArrayList<>();
    /** Completed by the outermost after hook, the last hook of a request: the test waits for it. */
    private static volatile CompletableFuture<Middleware.Outcome> done = new CompletableFuture<>();

    /** Records each hook; answers early on {@code /early-NAME}, handles exceptions on {@code /fail-NAME}. */
    private record Recording(String name, boolean outermost) implements Middleware {

        @Override
        public Optional<Response> beforeRequest(HttpScope scope) {
            LOG.add(name + " before");
            if (scope.path().equals("/early-" + name)) {
                return Optional.of(new Response(202, Headers.of("content-type", "text/plain"),
                        ("early from " + name).getBytes()));
            }
            return Optional.empty();
        }

        @Override
        public void onResponseStart(HttpScope scope, ResponseHead head) {
            LOG.add(name + " start " + head.status());
            head.addToList("x-trail", name);
            head.setIfAbsent("x-owner", name);
            if (name.equals("outer") && scope.path().equals("/replace")) {
                head.replace("x-replaced", "by outer");
            }
        }

        @Override
        public Optional<Response> onException(HttpScope scope, Throwable failure) {
            LOG.add(name + " exception " + failure.getMessage());
            if (scope.path().equals("/fail-" + name)) {
                return Optional.of(Response.text(503, "handled by " + name));
            }
            return Optional.empty();
        }

        @Override
        public void afterResponse(HttpScope scope, Outcome outcome) {
            LOG.add(name + " after " + outcome.status() + " " + outcome.bodyBytes());
            if (outermost) {
                done.complete(outcome);
            }
        }
    }

    private static final App APP = App.of(request -> {
        String path = request.scope().path();
        LOG.add("app");
        if (path.startsWith("/fail")) {
            throw new IllegalStateException("boom");
        }
        if (path.equals("/owned") || path.equals("/replace")) {
            return new Response(200, Headers.of("x-owner", "app", "x-replaced", "by the app"), "owned".getBytes());
        }
        return Response.text(200, "from the app");
    }).with(new Recording("inner", false)).with(new Recording("outer", true), new Recording("middle", false));

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, c -> c.accessLog(false));

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
        get(Version.HTTP_2, "/");
    }

    /** Sends one request and waits until its last hook ran, so {@link #LOG} holds this request alone. */
    private HttpResponse<String> get(Version v, String path) throws Exception {
        LOG.clear();
        done = new CompletableFuture<>();
        var client = v == Version.HTTP_1_1 ? h1 : h2;
        var r = client.send(HttpRequest.newBuilder(SERVER.uri(path)).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
        done.get(30, TimeUnit.SECONDS);
        return r;
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void hooksRunAsLayersOutermostFirstInAndInnermostFirstOut(Version v) throws Exception {
        var r = get(v, "/");
        assertEquals(v.version, r.version());
        assertEquals("from the app", r.body());
        assertEquals(List.of("outer before", "middle before", "inner before", "app",
                "inner start 200", "middle start 200", "outer start 200",
                "inner after 200 12", "middle after 200 12", "outer after 200 12"), LOG);
        assertEquals(List.of("inner", "middle", "outer"), r.headers().allValues("x-trail"));
        assertEquals(List.of("inner"), r.headers().allValues("x-owner"), "the first to set it keeps it");
        Middleware.Outcome outcome = done.get();
        assertEquals(200, outcome.status());
        assertTrue(!outcome.aborted() && outcome.duration().toNanos() > 0, outcome.toString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void anEarlyAnswerSkipsTheAppAndTheMiddlewareInside(Version v) throws Exception {
        var r = get(v, "/early-middle");
        assertEquals(202, r.statusCode());
        assertEquals("early from middle", r.body());
        assertEquals(List.of("outer before", "middle before", "outer start 202", "middle after 202 17",
                "outer after 202 17"), LOG);
        assertEquals(List.of("outer"), r.headers().allValues("x-trail"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aFieldTheAppSetIsKeptUnlessAHookReplacesItOnPurpose(Version v) throws Exception {
        var owned = get(v, "/owned");
        assertEquals(List.of("app"), owned.headers().allValues("x-owner"));
        assertEquals(List.of("by the app"), owned.headers().allValues("x-replaced"));
        var replaced = get(v, "/replace");
        assertEquals(List.of("app"), replaced.headers().allValues("x-owner"));
        assertEquals(List.of("by outer"), replaced.headers().allValues("x-replaced"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void anExceptionHookReplacesThe500(Version v) throws Exception {
        var r = get(v, "/fail-middle");
        assertEquals(503, r.statusCode());
        assertEquals("handled by middle", r.body());
        assertEquals(List.of("outer before", "middle before", "inner before", "app",
                "inner exception boom", "middle exception boom",
                "inner start 503", "middle start 503", "outer start 503",
                "inner after 503 17", "middle after 503 17", "outer after 503 17"), LOG);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void withoutAnExceptionHookThatAnswersTheServers500PassesTheResponseHooks(Version v) throws Exception {
        var r = get(v, "/fail");
        assertEquals(500, r.statusCode());
        assertEquals("Internal Server Error\n", r.body());
        assertEquals(List.of("inner", "middle", "outer"), r.headers().allValues("x-trail"));
        assertEquals(List.of("inner exception boom", "middle exception boom", "outer exception boom"),
                LOG.stream().filter(e -> e.contains("exception")).toList());
        assertEquals("outer after 500 22", LOG.getLast());
    }
}
