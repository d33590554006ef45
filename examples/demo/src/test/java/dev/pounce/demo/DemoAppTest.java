package dev.pounce.demo;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.Message;
import dev.pounce.api.Scope;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.api.WorkerIdentity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo called directly, with in-memory receive and send: no server involved. */
class DemoAppTest {

    private final DemoApp app = new DemoApp();

    /** What the app sent, and what it is fed. */
    static final class Exchange {
        final BlockingQueue<Message> inbound = new LinkedBlockingQueue<>();
        final List<Message> sent = new CopyOnWriteArrayList<>();

        HttpMessage.ResponseStart start() {
            return (HttpMessage.ResponseStart) sent.getFirst();
        }

        int status() {
            return start().status();
        }

        String header(String name) {
            return start().headers().first(name).orElse(null);
        }

        String body() {
            var out = new ByteArrayOutputStream();
            for (Message m : sent) {
                if (m instanceof HttpMessage.ResponseBody b) {
                    out.writeBytes(b.body());
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        boolean finished() {
            return sent.getLast() instanceof HttpMessage.ResponseBody b && !b.more();
        }
    }

    private Exchange call(String method, String path, String query, Headers headers, Message... inbound)
            throws Exception {
        var ex = new Exchange();
        ex.inbound.addAll(List.of(inbound));
        if (inbound.length == 0) {
            ex.inbound.add(new HttpMessage.Request(HttpMessage.EMPTY, false));
        }
        var scope = new HttpScope("1.1", method, "http", path, path, query, "", headers, Optional.empty(),
                Optional.empty(), new HashMap<>(), Map.of(Scope.WORKER, new WorkerIdentity(3, 2)));
        app.call(scope, ex.inbound::take, ex.sent::add);
        return ex;
    }

    private Exchange get(String path, String query) throws Exception {
        return call("GET", path, query, Headers.empty());
    }

    @Test
    void helloIsStaticWithItsLength() throws Exception {
        var ex = get("/", "");
        assertEquals(200, ex.status());
        assertEquals("Hello from Pounce!\n", ex.body());
        assertEquals("19", ex.header("content-length"));
        assertEquals("text/plain; charset=utf-8", ex.header("content-type"));
        assertEquals("3", ex.header("x-pounce-worker"));
        assertEquals(2, ex.sent.size());
        assertTrue(ex.finished());
    }

    @Test
    void jsonNamesTheWorkerAndVersion() throws Exception {
        var ex = get("/json", "");
        assertEquals("application/json", ex.header("content-type"));
        assertEquals("{\"message\":\"Hello from Pounce!\",\"worker\":3,\"generation\":2,\"http_version\":\"1.1\"}\n",
                ex.body());
        assertEquals(String.valueOf(ex.body().length()), ex.header("content-length"));
    }

    @Test
    void echoStreamsEachChunkBack() throws Exception {
        var ex = call("POST", "/echo", "", Headers.of("content-type", "application/x-test"),
                new HttpMessage.Request("ab".getBytes(StandardCharsets.UTF_8), true),
                new HttpMessage.Request(HttpMessage.EMPTY, true),
                new HttpMessage.Request("cd".getBytes(StandardCharsets.UTF_8), false));
        assertEquals(200, ex.status());
        assertEquals("application/x-test", ex.header("content-type"));
        assertEquals("3", ex.header("x-pounce-worker"));
        assertEquals("abcd", ex.body());
        assertEquals(3, ex.sent.size(), "start, then one body message per non-empty chunk");
        assertTrue(ex.finished());
    }

    @Test
    void echoStopsWhenTheClientLeaves() throws Exception {
        var ex = call("POST", "/echo", "", Headers.empty(),
                new HttpMessage.Request("ab".getBytes(StandardCharsets.UTF_8), true), new HttpMessage.Disconnect());
        assertEquals("application/octet-stream", ex.header("content-type"));
        assertFalse(ex.finished());
    }

    @Test
    void echoWantsPost() throws Exception {
        var ex = get("/echo", "");
        assertEquals(405, ex.status());
        assertEquals("POST", ex.header("allow"));
    }

    @Test
    void sseSendsCountEventsEachFlushed() throws Exception {
        var ex = get("/sse", "count=3&interval=1");
        assertEquals("text/event-stream", ex.header("content-type"));
        long events = ex.sent.stream().filter(m -> m instanceof HttpMessage.ResponseBody b && b.more()).count();
        assertEquals(3, events);
        assertTrue(ex.body().startsWith("id: 1\nevent: tick\ndata: {\"n\":1,\"worker\":3}\n\n"), ex.body());
        assertTrue(ex.finished());
    }

    @Test
    void sseStopsEarlyOnDisconnect() throws Exception {
        var ex = new Exchange();
        var scope = new HttpScope("1.1", "GET", "http", "/sse", "/sse", "count=1000&interval=10000", "",
                Headers.empty(), Optional.empty(), Optional.empty(), new HashMap<>(), Map.of());
        ex.inbound.add(new HttpMessage.Request(HttpMessage.EMPTY, false));
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            ex.inbound.add(new HttpMessage.Disconnect());
        });
        long t0 = System.nanoTime();
        app.call(scope, ex.inbound::take, ex.sent::add);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "stopped long before the 10 s interval");
        assertEquals(2, ex.sent.size(), "the start and the first event only");
    }

    @Test
    void sseRejectsANonNumber() throws Exception {
        assertEquals(400, get("/sse", "count=many").status());
    }

    @Test
    void workerSaysItsIdentity() throws Exception {
        assertEquals("worker=3 generation=2\n", get("/worker", "").body());
    }

    @Test
    void slowWaitsThenAnswers() throws Exception {
        long t0 = System.nanoTime();
        var ex = get("/slow", "ms=50");
        assertTrue(System.nanoTime() - t0 >= 50_000_000L);
        assertEquals("slow done\n", ex.body());
    }

    @Test
    void hashIsChainedSha256() throws Exception {
        var ex = get("/hash", "rounds=1");
        // sha256("pounce")
        assertEquals(DemoApp.hash(1) + "\n", ex.body());
        assertEquals(64, DemoApp.hash(1000).length());
        assertFalse(DemoApp.hash(1).equals(DemoApp.hash(2)));
    }

    @Test
    void crashThrows() {
        assertThrows(IllegalStateException.class, () -> get("/crash", ""));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        var ex = get("/nope", "");
        assertEquals(404, ex.status());
        assertEquals("3", ex.header("x-pounce-worker"));
    }

    @Test
    void headIsAllowedWhereGetIs() throws Exception {
        assertEquals(200, call("HEAD", "/", "", Headers.empty()).status());
        assertEquals(405, call("DELETE", "/", "", Headers.empty()).status());
    }

    @Test
    void lifespanRecordsTheStartAndCompletes() throws Exception {
        Map<String, Object> state = new HashMap<>();
        BlockingQueue<Message> in = new LinkedBlockingQueue<>(
                List.of(new LifespanMessage.Startup(), new LifespanMessage.Shutdown()));
        List<Message> out = new ArrayList<>();
        app.call(new LifespanScope(state, Map.of()), in::take, out::add);
        assertInstanceOf(String.class, state.get("started_at"));
        assertEquals(List.of(new LifespanMessage.StartupComplete(), new LifespanMessage.ShutdownComplete()), out);
    }

    @Test
    void queryParamsAreDecoded() {
        assertEquals(Optional.of("a b"), QueryParams.first("x=1&name=a+b&name=c", "name"));
        assertEquals(Optional.of(""), QueryParams.first("flag", "flag"));
        assertEquals(Optional.empty(), QueryParams.first("", "x"));
    }
    @Test
    void wsDemoIsAPageThatTalksToWs() throws Exception {
        Exchange ex = get("/ws-demo", "");
        assertEquals(200, ex.status());
        assertEquals("text/html; charset=utf-8", ex.header("content-type"));
        assertTrue(ex.body().contains("new WebSocket(url)") && ex.body().contains("/ws\""), ex.body());
    }

    private static WebSocketScope wsScope(String path) {
        return new WebSocketScope("1.1", "ws", path, path, "", "", Headers.empty(), Optional.empty(),
                Optional.empty(), List.of(), new HashMap<>(), Map.of(Scope.WORKER, new WorkerIdentity(3, 2)));
    }

    @Test
    void wsEchoesTextAndBinaryUntilTheClientLeaves() throws Exception {
        var ex = new Exchange();
        ex.inbound.addAll(List.of(new WebSocketMessage.Connect(),
                new WebSocketMessage.Receive(Optional.of("hi"), Optional.empty()),
                new WebSocketMessage.Receive(Optional.empty(), Optional.of(new byte[]{1, 2})),
                new WebSocketMessage.Disconnect(1000, "")));
        app.call(wsScope("/ws"), ex.inbound::take, ex.sent::add);
        var accept = (WebSocketMessage.Accept) ex.sent.get(0);
        assertEquals(Optional.of("3"), accept.headers().first("x-pounce-worker"));
        assertEquals(Optional.of("hi"), ((WebSocketMessage.Send) ex.sent.get(1)).text());
        assertArrayEquals(new byte[]{1, 2}, ((WebSocketMessage.Send) ex.sent.get(2)).bytes().orElseThrow());
        assertEquals(3, ex.sent.size());
    }

    @Test
    void aWebSocketElsewhereIsRefused() throws Exception {
        var ex = new Exchange();
        ex.inbound.add(new WebSocketMessage.Connect());
        app.call(wsScope("/other"), ex.inbound::take, ex.sent::add);
        assertInstanceOf(WebSocketMessage.Close.class, ex.sent.getFirst(), "a close before accepting is a 403");
    }
}
