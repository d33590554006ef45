package dev.pounce.h2;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The apps the tests serve, by path. */
final class TestApps {

    static final byte[] HELLO = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);
    static final Headers TEXT = Headers.of("content-type", "text/plain");

    /** Bytes the {@code /stream} app has handed to {@code send} so far. */
    static final AtomicLong streamed = new AtomicLong();

    /** Released by a test to let the {@code /wait} apps answer. */
    static volatile CountDownLatch gate = new CountDownLatch(0);
    /** One permit per request that has reached {@link #gate}, so a test waits for the event, not for time. */
    static final java.util.concurrent.Semaphore atGate = new java.util.concurrent.Semaphore(0);

    private TestApps() {
    }

    /** The demo's hello: 200 text/plain, whatever the request. */
    static final App HELLO_APP = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope)) {
            return;
        }
        send.send(new HttpMessage.ResponseStart(200, TEXT));
        send.send(new HttpMessage.ResponseBody(HELLO, false));
    };

    /**
     * {@code /} hello; {@code /echo} streams the body back chunk by chunk; {@code /bytes?n=N} sends N bytes;
     * {@code /stream?n=N} the same, counting into {@link #streamed}; {@code /wait} answers once {@link #gate}
     * opens; {@code /noread} never reads and answers once the gate opens; {@code /hints} sends 103 first;
     * {@code /trailers} ends with trailers; {@code /version} answers with the scope's HTTP version.
     */
    static final App ROUTES = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        switch (http.path()) {
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
                    send.send(new HttpMessage.ResponseBody(piece, left > 0));
                    if (count) {
                        streamed.addAndGet(size);
                    }
                }
            }
            case "/wait", "/noread" -> {
                atGate.release();
                gate.await();
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
            }
            case "/hints" -> {
                send.send(new HttpMessage.ResponseStart(103, Headers.of("link", "</style.css>; rel=preload")));
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
            }
            case "/trailers" -> {
                send.send(new HttpMessage.ResponseStart(200, TEXT, true));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
                send.send(new HttpMessage.Trailers(Headers.of("x-checksum", "42"), false));
            }
            case "/version" -> {
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody((http.httpVersion() + " " + http.method() + " "
                        + http.headers().first("host").orElse("-") + "\n").getBytes(StandardCharsets.US_ASCII),
                        false));
            }
            default -> {
                // Reads whatever body came, as h2spec's POSTs need, then says hello.
                while (receive.receive() instanceof HttpMessage.Request r && r.more()) {
                    // drain
                }
                send.send(new HttpMessage.ResponseStart(200, TEXT));
                send.send(new HttpMessage.ResponseBody(HELLO, false));
            }
        }
    };
}
