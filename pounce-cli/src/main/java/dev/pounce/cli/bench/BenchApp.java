package dev.pounce.cli.bench;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The app that {@code pounce bench} serves when no APP is given: one path per {@link Workload}, 404 elsewhere. Public
 * with a public constructor so that {@code process} workers can load it by name ({@code dev.pounce.cli.bench.BenchApp}).
 */
public final class BenchApp implements App {

    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    static final int STREAM_CHUNKS = 16;
    static final byte[] STREAM_CHUNK = filled(1024);

    private static final Headers TEXT = Headers.of("content-type", "text/plain",
            "content-length", String.valueOf(HELLO.length));
    private static final Headers JSON_TYPE = Headers.of("content-type", "application/json",
            "content-length", String.valueOf(JSON.length));
    private static final Headers STREAMED = Headers.of("content-type", "application/octet-stream");
    private static final Headers NOT_FOUND = Headers.of("content-type", "text/plain", "content-length", "10");

    /** Creates the app; it holds no state. */
    public BenchApp() {
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        switch (http.path()) {
            case "/plaintext" -> whole(send, TEXT, HELLO);
            case "/json" -> whole(send, JSON_TYPE, JSON);
            case "/echo" -> {
                byte[] body = readBody(receive);
                whole(send, Headers.of("content-type", "application/octet-stream",
                        "content-length", String.valueOf(body.length)), body);
            }
            case "/stream" -> {
                send.send(new HttpMessage.ResponseStart(200, STREAMED, false));
                for (int i = 0; i < STREAM_CHUNKS; i++) {
                    send.send(new HttpMessage.ResponseBody(STREAM_CHUNK, i < STREAM_CHUNKS - 1));
                }
            }
            default -> {
                send.send(new HttpMessage.ResponseStart(404, NOT_FOUND, false));
                send.send(new HttpMessage.ResponseBody("not found\n".getBytes(StandardCharsets.US_ASCII), false));
            }
        }
    }

    private static void whole(Send send, Headers headers, byte[] body) throws Exception {
        send.send(new HttpMessage.ResponseStart(200, headers, false));
        send.send(new HttpMessage.ResponseBody(body, false));
    }

    private static byte[] readBody(Receive receive) throws InterruptedException {
        var out = new ByteArrayOutputStream();
        while (true) {
            Message m = receive.receive();
            if (m instanceof HttpMessage.Request r) {
                out.writeBytes(r.body());
                if (!r.more()) {
                    return out.toByteArray();
                }
            } else {
                return out.toByteArray();
            }
        }
    }

    private static byte[] filled(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 'x');
        return b;
    }
}
