package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Response;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link App#of}: a whole-request handler served like any app. */
class HandlerTest {

    @RegisterExtension
    static PounceServer server = PounceServer.of(App.of(request -> switch (request.path()) {
        case "/" -> Response.text(200, "hello " + request.method() + " " + request.query());
        case "/echo" -> Response.text(200, request.body().length + ":" + request.text().substring(0, 5)
                + ":" + request.header("content-type").orElse("-")).withHeader("x-seen", "yes");
        case "/json" -> Response.json(201, "{\"ok\":true}");
        case "/none" -> Response.empty(204);
        case "/fail" -> throw new IllegalStateException("on purpose");
        default -> Response.text(404, "not found");
    }));

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void answersAGet() throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(server.uri("/?a=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("hello GET a=1", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("13", r.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void readsAWholeChunkedBody() throws Exception {
        byte[] body = "hello, world ".repeat(20_000).getBytes();
        var r = CLIENT.send(HttpRequest.newBuilder(server.uri("/echo")).header("content-type", "text/x-test")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(body.length + ":hello:text/x-test", r.body());
        assertEquals("yes", r.headers().firstValue("x-seen").orElseThrow());
    }

    @Test
    void jsonAndEmptyResponses() throws Exception {
        var json = CLIENT.send(HttpRequest.newBuilder(server.uri("/json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"ok\":true}", json.body());
        var none = CLIENT.send(HttpRequest.newBuilder(server.uri("/none")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, none.statusCode());
        assertEquals("", none.body());
    }

    @Test
    void aThrowingHandlerGetsA500() throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(server.uri("/fail")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, r.statusCode());
    }
}
