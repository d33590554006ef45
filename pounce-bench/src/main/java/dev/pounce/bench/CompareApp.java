package dev.pounce.bench;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

/**
 * The Pounce side of {@code compare.sh}: {@code GET /plaintext} (and {@code /}) answers the same bytes as raw
 * Netty's hello, {@code GET /json} serialises a fresh {@link HelloJson.Greeting} per request with the writer raw
 * Netty uses. Started by name with this jar on {@code POUNCE_MODULE_PATH} (an automatic module there):
 * <pre>{@code
 * POUNCE_MODULE_PATH=pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar bin/pounce dev.pounce.bench.CompareApp
 * }</pre>
 * Each response is one start and one body message, as an app written for speed would send it.
 */
public final class CompareApp implements App {

    private static final Headers TEXT = Headers.of("content-type", "text/plain",
            "content-length", String.valueOf(HelloJson.PLAINTEXT.length));

    /** Creates the app; it holds no state. */
    public CompareApp() {
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        if (http.path().equals("/json")) {
            byte[] body = HelloJson.greeting();
            send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "application/json",
                    "content-length", String.valueOf(body.length)), false));
            send.send(new HttpMessage.ResponseBody(body, false));
        } else {
            send.send(new HttpMessage.ResponseStart(200, TEXT, false));
            send.send(new HttpMessage.ResponseBody(HelloJson.PLAINTEXT, false));
        }
    }
}
