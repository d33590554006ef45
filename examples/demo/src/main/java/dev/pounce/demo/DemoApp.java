package dev.pounce.demo;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.api.WorkerIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The demo app. Every response carries {@code x-pounce-worker: <id>}.
 * <ul>
 *   <li>{@code GET /}: {@code Hello from Pounce!} (the benchmark route: a static body with its length)</li>
 *   <li>{@code GET /json}: a small JSON object with the worker and the HTTP version</li>
 *   <li>{@code POST /echo}: the request body streamed back chunk by chunk, with the request's content type</li>
 *   <li>{@code GET /sse?count=N&interval=MS}: N server-sent events, MS apart (see {@link EventStream})</li>
 *   <li>{@code GET /worker}: {@code worker=<id> generation=<gen>}</li>
 *   <li>{@code GET /whoami}: {@code client=<address:port> scheme=<scheme> host=<host>}, what the server believes
 *       about the request's origin (behind a proxy: see {@code --forwarded-allow-ips})</li>
 *   <li>{@code GET /slow?ms=N}: answers after N ms (at most a minute), for graceful-shutdown tests</li>
 *   <li>{@code GET /hash?rounds=N}: SHA-256 chained N times, CPU-bound, for benchmarks</li>
 *   <li>{@code GET /crash}: throws, so the server answers 500</li>
 *   <li>{@code GET /ws-demo}: a small HTML page that opens a WebSocket to {@code /ws}, to try it in a browser
 *       ({@code /ws-demo?selftest} runs a text and a binary round trip by itself and reports PASS or FAIL)</li>
 * </ul>
 * Lifespan startup records {@code started_at} in the shared state. A WebSocket session on {@code /ws} echoes every
 * text and binary message (with the WebSocket plugin, {@code pounce-ws}, on the module path); on any other path the
 * handshake is refused with 403. It is a public class with a public no-argument constructor, so
 * {@code pounce dev.pounce.demo.DemoApp} works as well as finding it through its {@code provides}.
 */
public final class DemoApp implements App {

    /** The body of {@code GET /}. */
    static final byte[] HELLO = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);

    static final String WORKER_HEADER = "x-pounce-worker";

    private static final int MAX_SLOW_MS = 60_000;
    private static final int MAX_HASH_ROUNDS = 1_000_000;

    // The hello route's headers differ only by worker id: build them once per worker, not per request. A race
    // here builds the same immutable value twice, which is harmless.
    private final Headers[] helloHeaders = new Headers[64];

    /** Creates the app; it holds no resources. */
    public DemoApp() {
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        switch (scope) {
            case HttpScope http -> serve(http, receive, send);
            case LifespanScope lifespan -> lifespan(lifespan, receive, send);
            case WebSocketScope ws -> webSocket(ws, receive, send);
        }
    }

    private void serve(HttpScope scope, Receive receive, Send send) throws Exception {
        String method = scope.method();
        switch (scope.path()) {
            case "/" -> {
                if (allowed(scope, send, "GET")) {
                    send.send(new HttpMessage.ResponseStart(200, helloHeaders(scope.worker().id())));
                    send.send(new HttpMessage.ResponseBody(HELLO, false));
                }
            }
            case "/json" -> {
                if (allowed(scope, send, "GET")) {
                    respond(scope, send, 200, "application/json", json(scope));
                }
            }
            case "/echo" -> {
                if (method.equals("POST")) {
                    echo(scope, receive, send);
                } else {
                    methodNotAllowed(scope, send, "POST");
                }
            }
            case "/sse" -> {
                if (allowed(scope, send, "GET")) {
                    EventStream.serve(scope, receive, send);
                }
            }
            case "/worker" -> {
                if (allowed(scope, send, "GET")) {
                    WorkerIdentity w = scope.worker();
                    respond(scope, send, 200, "text/plain; charset=utf-8",
                            "worker=" + w.id() + " generation=" + w.generation() + "\n");
                }
            }
            case "/whoami" -> {
                if (allowed(scope, send, "GET")) {
                    respond(scope, send, 200, "text/plain; charset=utf-8", "client="
                            + scope.client().map(Object::toString).orElse("unix") + " scheme=" + scope.scheme()
                            + " host=" + scope.headers().first("host").orElse("") + "\n");
                }
            }
            case "/slow" -> {
                if (allowed(scope, send, "GET")) {
                    Optional<Integer> ms = QueryParams.intParam(scope, "ms", 1000, 0, MAX_SLOW_MS);
                    if (ms.isEmpty()) {
                        respond(scope, send, 400, "text/plain; charset=utf-8", "ms must be a whole number\n");
                        return;
                    }
                    Thread.sleep(ms.get());
                    respond(scope, send, 200, "text/plain; charset=utf-8", "slow done\n");
                }
            }
            case "/hash" -> {
                if (allowed(scope, send, "GET")) {
                    Optional<Integer> rounds = QueryParams.intParam(scope, "rounds", 1000, 1, MAX_HASH_ROUNDS);
                    if (rounds.isEmpty()) {
                        respond(scope, send, 400, "text/plain; charset=utf-8", "rounds must be a whole number\n");
                        return;
                    }
                    respond(scope, send, 200, "text/plain; charset=utf-8", hash(rounds.get()) + "\n");
                }
            }
            case "/crash" -> throw new IllegalStateException("GET /crash: the demo fails on purpose");
            case "/ws-demo" -> {
                if (allowed(scope, send, "GET")) {
                    respond(scope, send, 200, "text/html; charset=utf-8", WsDemoPage.HTML);
                }
            }
            default -> respond(scope, send, 404, "text/plain; charset=utf-8", "Not Found\n");
        }
    }

    private Headers helloHeaders(int worker) {
        if (worker < 0 || worker >= helloHeaders.length) {
            return Headers.of("content-type", "text/plain; charset=utf-8",
                    "content-length", String.valueOf(HELLO.length), WORKER_HEADER, String.valueOf(worker));
        }
        Headers h = helloHeaders[worker];
        if (h == null) {
            h = Headers.of("content-type", "text/plain; charset=utf-8",
                    "content-length", String.valueOf(HELLO.length), WORKER_HEADER, String.valueOf(worker));
            helloHeaders[worker] = h;
        }
        return h;
    }

    private static String json(HttpScope scope) {
        WorkerIdentity w = scope.worker();
        Object startedAt = scope.state().get("started_at");
        return "{\"message\":\"Hello from Pounce!\",\"worker\":" + w.id() + ",\"generation\":" + w.generation()
                + ",\"http_version\":\"" + scope.httpVersion() + "\""
                + (startedAt == null ? "" : ",\"started_at\":\"" + startedAt + "\"")
                // The client as the server sees it: behind a load balancer with the PROXY protocol plugin, the real one.
                + scope.client().map(c -> ",\"client\":\"" + c + "\"").orElse("") + "}\n";
    }

    /** Streams the request body back as it arrives; the response starts with the first chunk. */
    private static void echo(HttpScope scope, Receive receive, Send send) throws IOException, InterruptedException {
        var headers = Headers.builder()
                .add("content-type", scope.headers().first("content-type").orElse("application/octet-stream"))
                .add(WORKER_HEADER, String.valueOf(scope.worker().id()));
        // A known length is passed on, so HTTP/1.1 needs no chunked framing; the protocol enforces it.
        scope.headers().first("content-length").ifPresent(length -> headers.add("content-length", length));
        send.send(new HttpMessage.ResponseStart(200, headers.build()));
        while (true) {
            Message m = receive.receive();
            if (m instanceof HttpMessage.Request chunk) {
                if (chunk.body().length > 0 || !chunk.more()) {
                    send.send(new HttpMessage.ResponseBody(chunk.body(), chunk.more()));
                }
                if (!chunk.more()) {
                    return;
                }
            } else {
                return; // Disconnect: the client is gone, nobody to answer.
            }
        }
    }

    /** SHA-256 applied {@code rounds} times, each round over the previous digest. */
    static String hash(int rounds) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = "pounce".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < rounds; i++) {
            buffer = sha.digest(buffer);
        }
        return HexFormat.of().formatHex(buffer);
    }

    private static void lifespan(LifespanScope scope, Receive receive, Send send) throws Exception {
        while (true) {
            Message m = receive.receive();
            if (m instanceof LifespanMessage.Startup) {
                scope.state().put("started_at", Instant.now().toString());
                send.send(new LifespanMessage.StartupComplete());
            } else if (m instanceof LifespanMessage.Shutdown) {
                send.send(new LifespanMessage.ShutdownComplete());
                return;
            }
        }
    }

    /** {@code /ws} echoes each text and binary message; any other path is refused (the server answers 403). */
    private static void webSocket(WebSocketScope scope, Receive receive, Send send) throws Exception {
        while (true) {
            Message m = receive.receive();
            switch (m) {
                case WebSocketMessage.Connect c -> {
                    if (!scope.path().equals("/ws")) {
                        send.send(new WebSocketMessage.Close(1000, ""));
                        return;
                    }
                    send.send(new WebSocketMessage.Accept(Optional.empty(),
                            Headers.of(WORKER_HEADER, String.valueOf(scope.worker().id()))));
                }
                case WebSocketMessage.Receive r -> send.send(new WebSocketMessage.Send(r.text(), r.bytes()));
                case WebSocketMessage.Disconnect d -> {
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private static boolean allowed(HttpScope scope, Send send, String method) throws IOException, InterruptedException {
        // HEAD is GET without a body; the protocol drops the body.
        if (scope.method().equals(method) || method.equals("GET") && scope.method().equals("HEAD")) {
            return true;
        }
        methodNotAllowed(scope, send, method.equals("GET") ? "GET, HEAD" : method);
        return false;
    }

    private static void methodNotAllowed(HttpScope scope, Send send, String allow)
            throws IOException, InterruptedException {
        byte[] body = "Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII);
        send.send(new HttpMessage.ResponseStart(405, Headers.of("content-type", "text/plain; charset=utf-8",
                "content-length", String.valueOf(body.length), "allow", allow,
                WORKER_HEADER, String.valueOf(scope.worker().id()))));
        send.send(new HttpMessage.ResponseBody(body, false));
    }

    static void respond(HttpScope scope, Send send, int status, String contentType, String body)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        send.send(new HttpMessage.ResponseStart(status, Headers.of("content-type", contentType,
                "content-length", String.valueOf(bytes.length), WORKER_HEADER, String.valueOf(scope.worker().id()))));
        send.send(new HttpMessage.ResponseBody(bytes, false));
    }
}
