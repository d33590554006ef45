package dev.pounce.tests;

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
import dev.pounce.api.WebSocketScope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app the integration tests serve: one route per behaviour under test, plus lifespan. Each test class makes its
 * own instance, so the latches and counters it shares with its tests belong to that class alone; tests name them
 * with an {@code id} query parameter.
 *
 * <p>Routes (any method unless said):
 * <ul>
 *   <li>{@code /} "hello"; {@code /json} a JSON document (HEAD gets the same headers, the body is the server's to
 *       drop)</li>
 *   <li>{@code /echo} the request body back, with its length</li>
 *   <li>{@code /client} the client's port (one connection, one port), or {@code none} on a Unix socket</li>
 *   <li>{@code /worker} {@code worker=<id> generation=<gen>} and header {@code x-pounce-worker}</li>
 *   <li>{@code /scope} the scope's version, method, path, raw path, query and root path, one per line</li>
 *   <li>{@code /state} what lifespan startup put in the state</li>
 *   <li>{@code /throw} throws before responding; {@code /nothing} returns without responding;
 *       {@code /fail-after-start} throws after the first body chunk</li>
 *   <li>{@code /sse?id=} one event, then waits for latch {@code id} (the test opens it after reading the event),
 *       then the last event: {@code data: 2}, or {@code data: late} if the latch was not opened in time</li>
 *   <li>{@code /stream-until-disconnect?id=} starts a streamed response, then receives until it gets
 *       {@link HttpMessage.Disconnect}, and opens latch {@code id}</li>
 *   <li>{@code /block?id=} opens latch {@code id-entered}, waits for latch {@code id} (at most 30 s), answers
 *       {@code released}</li>
 *   <li>{@code /sleep?ms=} sleeps, then answers</li>
 *   <li>{@code /big?id=&bytes=&chunk=} streams {@code bytes} bytes with a content-length, counting what it sent in
 *       counter {@code id}, and opens latch {@code id-sent} once its last send has returned</li>
 *   <li>{@code /forever?id=} streams 64 KiB chunks until a send throws, keeps the exception as {@code id}</li>
 *   <li>{@code /read-late?id=} opens latch {@code id-entered}, waits for latch {@code id} before reading the body,
 *       then echoes it</li>
 *   <li>{@code /order?id=&n=&last=} answers {@code response n}; request 1 waits up to 3 s for request {@code last}
 *       to have run</li>
 * </ul>
 */
public final class TestApp implements App {

    /** What lifespan startup puts in the state under {@code greeting}. */
    public static final String GREETING = "hello from lifespan";

    private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Throwable>> failures = new ConcurrentHashMap<>();

    /**
     * @param name a latch name
     * @return the latch, made with count 1 the first time either side asks for it
     */
    public CountDownLatch latch(String name) {
        return latches.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    /**
     * @param name a counter name
     * @return the counter, 0 at first
     */
    public AtomicLong counter(String name) {
        return counters.computeIfAbsent(name, n -> new AtomicLong());
    }

    /**
     * @param name a failure slot
     * @return what the app caught there, if anything yet
     */
    public AtomicReference<Throwable> failure(String name) {
        return failures.computeIfAbsent(name, n -> new AtomicReference<>());
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        switch (scope) {
            case LifespanScope l -> lifespan(l, receive, send);
            case HttpScope http -> http(http, receive, send);
            case WebSocketScope ws -> throw new UnsupportedOperationException("no WebSocket here");
        }
    }

    private static void lifespan(LifespanScope scope, Receive receive, Send send) throws Exception {
        while (true) {
            Message m = receive.receive();
            switch (m) {
                case LifespanMessage.Startup s -> {
                    scope.state().put("greeting", GREETING);
                    send.send(new LifespanMessage.StartupComplete());
                }
                case LifespanMessage.Shutdown s -> {
                    send.send(new LifespanMessage.ShutdownComplete());
                    return;
                }
                default -> throw new IllegalStateException("unexpected " + m);
            }
        }
    }

    private void http(HttpScope scope, Receive receive, Send send) throws Exception {
        Map<String, String> q = query(scope.queryString());
        String path = scope.rootPath().isEmpty() ? scope.path() : scope.path().substring(scope.rootPath().length());
        switch (path) {
            case "/" -> text(send, 200, "hello");
            case "/json" -> respond(send, 200, "application/json", bytes("{\"message\":\"hello\"}"));
            case "/echo" -> {
                byte[] body = readBody(receive);
                String type = scope.headers().first("content-type").orElse("application/octet-stream");
                respond(send, 200, type, body);
            }
            case "/client" -> text(send, 200, scope.client().map(c -> Integer.toString(c.port())).orElse("none"));
            case "/worker" -> {
                var w = scope.worker();
                byte[] body = bytes("worker=" + w.id() + " generation=" + w.generation());
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain",
                        "content-length", Integer.toString(body.length), "x-pounce-worker", Integer.toString(w.id()))));
                send.send(new HttpMessage.ResponseBody(body, false));
            }
            case "/scope" -> text(send, 200, String.join("\n", scope.httpVersion(), scope.method(), scope.path(),
                    scope.rawPath(), scope.queryString(), scope.rootPath()));
            case "/state" -> text(send, 200, String.valueOf(scope.state().get("greeting")));
            case "/throw" -> throw new IllegalStateException("the app failed before responding (on purpose)");
            case "/nothing" -> { }
            case "/fail-after-start" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
                send.send(new HttpMessage.ResponseBody(bytes("partial"), true));
                throw new IllegalStateException("the app failed after starting its response (on purpose)");
            }
            case "/sse" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/event-stream",
                        "cache-control", "no-cache")));
                send.send(new HttpMessage.ResponseBody(bytes("data: 1\n\n"), true));
                boolean opened = latch(q.get("id")).await(10, TimeUnit.SECONDS);
                send.send(new HttpMessage.ResponseBody(bytes(opened ? "data: 2\n\n" : "data: late\n\n"), false));
            }
            case "/stream-until-disconnect" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
                send.send(new HttpMessage.ResponseBody(bytes("started\n"), true));
                while (!(receive.receive() instanceof HttpMessage.Disconnect)) {
                    // the empty request body, then nothing until the client leaves
                }
                latch(q.get("id")).countDown();
            }
            case "/block" -> {
                latch(q.get("id") + "-entered").countDown();
                boolean released = latch(q.get("id")).await(30, TimeUnit.SECONDS);
                text(send, 200, released ? "released" : "not released");
            }
            case "/sleep" -> {
                Thread.sleep(Long.parseLong(q.getOrDefault("ms", "1000")));
                text(send, 200, "slept");
            }
            case "/big" -> {
                long total = Long.parseLong(q.get("bytes"));
                int chunk = Integer.parseInt(q.getOrDefault("chunk", "65536"));
                AtomicLong sent = counter(q.get("id"));
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "application/octet-stream",
                        "content-length", Long.toString(total))));
                byte[] block = new byte[chunk];
                for (long left = total; left > 0; ) {
                    int n = (int) Math.min(chunk, left);
                    left -= n;
                    // A fresh array per chunk: the server does not copy what it is sent.
                    byte[] b = n == chunk ? block.clone() : new byte[n];
                    send.send(new HttpMessage.ResponseBody(b, left > 0));
                    sent.addAndGet(n);
                }
                latch(q.get("id") + "-sent").countDown();
            }
            case "/forever" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "application/octet-stream")));
                AtomicLong sent = counter(q.get("id"));
                try {
                    while (true) {
                        send.send(new HttpMessage.ResponseBody(new byte[65536], true));
                        sent.addAndGet(65536);
                    }
                } catch (IOException e) {
                    failure(q.get("id")).set(e);
                    latch(q.get("id")).countDown();
                    throw e;
                }
            }
            case "/read-late" -> {
                latch(q.get("id") + "-entered").countDown();
                latch(q.get("id")).await(10, TimeUnit.SECONDS);
                byte[] body = readBody(receive);
                respond(send, 200, "text/plain", body);
            }
            case "/order" -> {
                // The first request waits (a little) for the last to have run, so that with a server that runs
                // pipelined requests at once they finish out of order; a server that runs them one by one passes
                // too, after the short wait.
                String n = q.get("n");
                if (n.equals("1")) {
                    latch(q.get("id") + "-last").await(3, TimeUnit.SECONDS);
                } else if (n.equals(q.get("last"))) {
                    latch(q.get("id") + "-last").countDown();
                }
                text(send, 200, "response " + n);
            }
            default -> text(send, 404, "not found: " + scope.path());
        }
    }

    /**
     * Reads a whole request body.
     *
     * @param receive the app's receive channel
     * @return the body
     * @throws IOException if the client went away first
     * @throws InterruptedException if interrupted
     */
    public static byte[] readBody(Receive receive) throws IOException, InterruptedException {
        var body = new ByteArrayOutputStream();
        while (true) {
            switch (receive.receive()) {
                case HttpMessage.Request r -> {
                    body.write(r.body());
                    if (!r.more()) {
                        return body.toByteArray();
                    }
                }
                case HttpMessage.Disconnect d -> throw new IOException("client went away while sending the body");
                default -> throw new IllegalStateException("not an HTTP message");
            }
        }
    }

    /**
     * Sends a whole response with a content-length.
     *
     * @param send   the app's send channel
     * @param status the status
     * @param type   the content type
     * @param body   the body
     * @throws IOException if the client went away
     * @throws InterruptedException if interrupted
     */
    public static void respond(Send send, int status, String type, byte[] body)
            throws IOException, InterruptedException {
        send.send(new HttpMessage.ResponseStart(status, Headers.of("content-type", type,
                "content-length", Integer.toString(body.length))));
        send.send(new HttpMessage.ResponseBody(body, false));
    }

    static void text(Send send, int status, String text) throws IOException, InterruptedException {
        respond(send, status, "text/plain; charset=utf-8", bytes(text));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> query(String query) {
        Map<String, String> out = new HashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
    }
}
