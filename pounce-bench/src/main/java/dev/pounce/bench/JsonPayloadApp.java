package dev.pounce.bench;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.Receive;
import dev.pounce.api.Response;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The app that {@code compression.sh} serves: {@code GET /json} answers a fixed JSON document of 64 KiB (an API's
 * list of records, with the repetition such a list has), and any other path {@code Hello from Pounce!}, which the
 * script waits for. The body is made once, so the figure is the server's and the encoder's, not the app's.
 */
public final class JsonPayloadApp implements App {

    /** The size of the JSON body. */
    static final int SIZE = 64 << 10;
    private static final byte[] JSON = json();
    private static final byte[] HELLO = "Hello from Pounce!".getBytes(StandardCharsets.US_ASCII);

    private final App app = App.of(request -> request.scope().path().equals("/json")
            ? new Response(200, Headers.of("content-type", "application/json", "content-length",
                    Integer.toString(JSON.length)), JSON)
            : new Response(200, Headers.of("content-type", "text/plain"), HELLO));

    /** Made by the launcher from its class name. */
    public JsonPayloadApp() {
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        app.call(scope, receive, send);
    }

    /** @return records like an API's list answer, padded with spaces to exactly {@link #SIZE} bytes */
    private static byte[] json() {
        var random = new Random(42);
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        var b = new StringBuilder("{\"items\":[");
        for (int i = 0; b.length() < SIZE - 300; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(100_000 + i).append(",\"sku\":\"")
                    .append(Long.toHexString(random.nextLong())).append("\",\"name\":\"")
                    .append(words[random.nextInt(words.length)]).append(' ').append(words[random.nextInt(words.length)])
                    .append("\",\"price\":").append(random.nextInt(1_000_000) / 100.0).append(",\"stock\":")
                    .append(random.nextInt(500)).append(",\"active\":").append(random.nextBoolean())
                    .append(",\"updated\":\"2026-").append(String.format("%02d-%02dT%02d:%02d:00Z",
                            1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60)))
                    .append("\"}");
        }
        b.append("],\"next\":null}");
        while (b.length() < SIZE) {
            b.append(' ');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
