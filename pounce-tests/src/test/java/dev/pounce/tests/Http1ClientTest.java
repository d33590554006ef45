package dev.pounce.tests;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 as the JDK's HttpClient speaks it, against the default configuration (1 MiB body limit). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1ClientTest {

    static final TestApp APP = new TestApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP);

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(SERVER.uri(path)).timeout(Duration.ofSeconds(30));
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(request(path).build(), BodyHandlers.ofString());
    }

    @Test
    void getServesText() throws Exception {
        var response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    }

    @Test
    void getServesJson() throws Exception {
        var response = get("/json");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"message\":\"hello\"}", response.body());
    }

    @Test
    void postEchoesABodyJustBelowTheDefaultLimit() throws Exception {
        byte[] body = randomBytes((1 << 20) - 1024);
        var response = CLIENT.send(request("/echo").POST(BodyPublishers.ofByteArray(body)).build(),
                BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    @Test
    void postEchoesABodyOfExactlyTheDefaultLimit() throws Exception {
        byte[] body = randomBytes(1 << 20);
        var response = CLIENT.send(request("/echo").POST(BodyPublishers.ofByteArray(body)).build(),
                BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    /**
     * With {@code Expect: 100-continue} the client waits for the server's verdict before sending, so a body over the
     * limit is answered with 413 instead of a broken pipe halfway through the upload.
     */
    @Test
    void postOneByteOverTheDefaultLimitGets413() throws Exception {
        byte[] body = randomBytes((1 << 20) + 1);
        var response = CLIENT.send(request("/echo").expectContinue(true).POST(BodyPublishers.ofByteArray(body))
                .build(), BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
    }

    @Test
    void chunkedUploadIsEchoed() throws Exception {
        byte[] body = randomBytes(300_000);
        // ofInputStream has no known length, so the client sends it chunked.
        var response = CLIENT.send(request("/echo")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    /** The second event is sent only once the client has read the first, so a buffered stream cannot pass. */
    @Test
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<Stream<String>> response = CLIENT.send(request("/sse?id=" + id).build(), BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            assertEquals("data: 1", it.next());
            assertEquals("", it.next());
            APP.latch(id).countDown();
            assertEquals("data: 2", it.next(), "the second event was not streamed after the client read the first");
        }
    }

    @Test
    void headGetsTheHeadersOfGetWithoutABody() throws Exception {
        var get = get("/json");
        var head = CLIENT.send(request("/json").method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(get.headers().firstValue("content-length"), head.headers().firstValue("content-length"));
        // And nothing of the dropped body leaks into the next response on the same connection.
        assertEquals("hello", get("/").body());
    }

    /** The client pools its connection: every request comes from the same client port if the server keeps it. */
    @Test
    void keepAliveReusesOneConnection() throws Exception {
        Set<String> ports = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            var response = get("/client");
            assertEquals(200, response.statusCode());
            ports.add(response.body());
        }
        assertEquals(1, ports.size(), "requests came over several connections: client ports " + ports);
        long connections = SERVER.events().stream()
                .filter(e -> e instanceof LifecycleEvent.RequestCompleted r && r.path().equals("/client"))
                .map(e -> ((LifecycleEvent.RequestCompleted) e).connectionId()).distinct().count();
        assertEquals(1, connections, "the server saw the requests on more than one connection");
    }

    @Test
    void appThatThrowsBeforeRespondingGets500() throws Exception {
        var response = get("/throw");
        assertEquals(500, response.statusCode());
        // The connection survives an app error: the next request is served.
        assertEquals(200, get("/").statusCode());
    }

    @Test
    void appThatReturnsWithoutRespondingGets500() throws Exception {
        assertEquals(500, get("/nothing").statusCode());
    }

    @Test
    void appThatThrowsAfterStartingAbortsTheResponse() {
        assertThrows(IOException.class, () -> get("/fail-after-start"),
                "a response cut short by the app must not look complete to the client");
    }

    /** The client leaves (a reset) in the middle of a streamed response; the app's receive must say so. */
    @Test
    void clientDisconnectReachesTheApp() throws Exception {
        String id = UUID.randomUUID().toString();
        // A client that is gone (a reset), not one that only half-closed: after a FIN the server still answers, and
        // the app hears of the client's leaving when a send of its fails.
        var conn = RawConnection.open(SERVER.address());
        conn.send("GET /stream-until-disconnect?id=" + id + " HTTP/1.1\r\nHost: t\r\n\r\n");
        var status = conn.readLine();
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        conn.reset();
        assertTrue(APP.latch(id).await(10, TimeUnit.SECONDS), "the app never received http.disconnect");
    }

    @Test
    void lifespanStateIsVisibleInRequestScopes() throws Exception {
        assertEquals(TestApp.GREETING, get("/state").body());
    }

    @Test
    void scopeCarriesPathQueryAndVersion() throws Exception {
        var lines = get("/scope?a=1&b=%20").body().split("\n", -1);
        assertEquals("1.1", lines[0]);
        assertEquals("GET", lines[1]);
        assertEquals("/scope", lines[2]);
        assertEquals("/scope", lines[3]);
        assertEquals("a=1&b=%20", lines[4]);
        assertEquals("", lines[5]);
    }

    @Test
    void unknownPathGetsTheAppsOwn404() throws Exception {
        assertEquals(404, get("/no/such/thing").statusCode());
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
