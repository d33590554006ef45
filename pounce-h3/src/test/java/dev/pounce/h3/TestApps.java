package dev.pounce.h3;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Message;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The apps the tests serve, by path, and what they report to the tests. */
final class TestApps {

    static final byte[] HELLO = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);
    static final Headers TEXT = Headers.of("content-type", "text/plain");

    /** Bytes the {@code /stream} app has handed to {@code send} so far. */
    static final AtomicLong streamed = new AtomicLong();
    /** The {@code /stream} app's thread while it is inside {@code send}, so a test sees it blocked there. */
    static final AtomicReference<Thread> sending = new AtomicReference<>();

    /** Released by a test to let the {@code /wait} apps answer. */
    static volatile CountDownLatch gate = new CountDownLatch(0);
    /** One permit per request that has reached the app ({@code /wait}, {@code /hold}): a test waits for the event. */
    static final Semaphore arrived = new Semaphore(0);
    /** One permit per {@code /hold} request whose app heard the disconnect. */
    static final Semaphore disconnected = new Semaphore(0);
    /** One permit per chunk the {@code /drip} app may send. */
    static final Semaphore drips = new Semaphore(0);

    private TestApps() {
    }

    static void reset() {
        streamed.set(0);
        sending.set(null);
        gate = new CountDownLatch(0);
        arrived.drainPermits();
        disconnected.drainPermits();
        drips.drainPermits();
    }

    /**
     * {@code /} hello; {@code /version} the scope's version, method, host and scheme; {@code /echo} streams the body
     * back chunk by chunk; {@code /bytes?n=N} sends N bytes; {@code /stream?n=N} the same, counting into
     * {@link #streamed}; {@code /wait} answers once {@link #gate} opens; {@code /hold} waits for the client to go
     * away; {@code /drip?n=N} sends N lines, each when the test gives a permit; {@code /hints} sends 103 first;
     * {@code /trailers} ends with trailers; {@code /bare-trailers?n=N} sends N zero bytes, then trailers without
     * fields; {@code /worker} says which worker serves it.
     */
    static final App ROUTES = (scope, receive, send) -> {
        if (scope instanceof WebSocketScope ws) {
            echoWebSocket(ws, receive, send);
            return;
        }
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        switch (http.path()) {
            case "/version" -> text(send, http.httpVersion() + " " + http.method() + " "
                    + http.headers().first("host").orElse("-") + " " + http.scheme() + "\n");
            case "/echo" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "application/octet-stream")));
                while (true) {
                    Message m = receive.receive();
                    if (!(m instanceof HttpMessage.Request r)) {
                        return;
                    }
                    send.send(new HttpMessage.ResponseBody(r.body(), r.more()));
                    if (!r.more()) {
                        return;
                    }
                }
            }
            case "/bytes", "/stream" -> {
                long n = Long.parseLong(http.queryString().substring(2));
                boolean count = http.path().equals("/stream");
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-length", Long.toString(n))));
                byte[] chunk = new byte[16 * 1024];
                for (long left = n; left > 0; ) {
                    int size = (int) Math.min(chunk.length, left);
                    byte[] piece = size == chunk.length ? chunk : new byte[size];
                    left -= size;
                    if (count) {
                        sending.set(Thread.currentThread());
                    }
                    send.send(new HttpMessage.ResponseBody(piece, left > 0));
                    if (count) {
                        sending.set(null);
                        streamed.addAndGet(size);
                    }
                }
            }
            case "/wait" -> {
                arrived.release();
                gate.await();
                text(send, "waited\n");
            }
            case "/hold" -> {
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody("holding\n".getBytes(StandardCharsets.US_ASCII), true));
                arrived.release();
                while (!(receive.receive() instanceof HttpMessage.Disconnect)) {
                    // the body, then nothing until the client goes
                }
                disconnected.release();
            }
            case "/drip" -> {
                int n = Integer.parseInt(http.queryString().substring(2));
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                for (int i = 0; i < n; i++) {
                    drips.acquire();
                    send.send(new HttpMessage.ResponseBody(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII),
                            i < n - 1));
                }
            }
            case "/hints" -> {
                send.send(new HttpMessage.ResponseStart(103, Headers.of("link", "</style.css>; rel=preload")));
                text(send, "hinted\n");
            }
            case "/trailers" -> {
                send.send(new HttpMessage.ResponseStart(200, TEXT, true));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
                send.send(new HttpMessage.Trailers(Headers.of("x-checksum", "42"), false));
            }
            case "/bare-trailers" -> {
                // The response ends with trailers that have no fields: an empty end after a body the client's
                // stream window cannot take at once.
                int n = Integer.parseInt(http.queryString().substring(2));
                send.send(new HttpMessage.ResponseStart(200, TEXT, true));
                send.send(new HttpMessage.ResponseBody(new byte[n], false));
                send.send(new HttpMessage.Trailers(Headers.empty(), false));
            }
            case "/worker" -> text(send, "worker " + scope.worker().id() + "\n");
            default -> {
                while (receive.receive() instanceof HttpMessage.Request r && r.more()) {
                    // drain
                }
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
            }
        }
    };

    /** Accepts, then sends each message back with the scope's HTTP version in front, until the client closes. */
    private static void echoWebSocket(WebSocketScope ws, dev.pounce.api.Receive receive, dev.pounce.api.Send send)
            throws Exception {
        if (!(receive.receive() instanceof WebSocketMessage.Connect)) {
            return;
        }
        send.send(new WebSocketMessage.Accept(java.util.Optional.empty(), Headers.empty()));
        while (receive.receive() instanceof WebSocketMessage.Receive m) {
            send.send(new WebSocketMessage.Send(m.text().map(t -> ws.httpVersion() + " " + t), m.bytes()));
        }
    }

    private static void text(dev.pounce.api.Send send, String body) throws Exception {
        send.send(new HttpMessage.ResponseStart(200, TEXT));
        send.send(new HttpMessage.ResponseBody(body.getBytes(StandardCharsets.UTF_8), false));
    }
}
