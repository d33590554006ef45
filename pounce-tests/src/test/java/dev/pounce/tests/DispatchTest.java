package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --dispatch}: where the app's virtual thread is carried, and that a parked app does not stall its worker. */
class DispatchTest {

    private static final CountDownLatch ENTERED = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Answers with its own thread's description; {@code /park} waits for the test first. */
    private static final App APP = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        if (http.path().equals("/park")) {
            ENTERED.countDown();
            RELEASE.await(30, TimeUnit.SECONDS);
        }
        byte[] body = Thread.currentThread().toString().getBytes(StandardCharsets.UTF_8);
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody(body, false));
    };

    @RegisterExtension
    static PounceServer loop = PounceServer.of(APP, c -> c.dispatch("loop"));

    @RegisterExtension
    static PounceServer virtual = PounceServer.of(APP, c -> c.dispatch("virtual"));

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String get(PounceServer server, String path) throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void loopDispatchCarriesTheAppOnTheWorkersEventLoop() throws Exception {
        String thread = get(loop, "/");
        assertTrue(thread.startsWith("VirtualThread[") && thread.contains("pounce-app-0-"), thread);
        assertTrue(thread.contains("@pounce-worker-0"), "not carried by the worker's loop: " + thread);
    }

    @Test
    void virtualDispatchUsesTheJdkScheduler() throws Exception {
        String thread = get(virtual, "/");
        assertTrue(thread.startsWith("VirtualThread[") && thread.contains("ForkJoinPool"), thread);
    }

    @Test
    void aParkedAppDoesNotStallItsWorkerUnderLoopDispatch() throws Exception {
        var parked = CompletableFuture.supplyAsync(() -> {
            try {
                return get(loop, "/park");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(ENTERED.await(10, TimeUnit.SECONDS), "the parking request never reached the app");
            // One worker, one loop: this answer needs the loop the parked app was carried by.
            assertTrue(get(loop, "/").contains("@pounce-worker-0"));
            assertFalse(parked.isDone());
        } finally {
            RELEASE.countDown();
        }
        assertTrue(parked.get(10, TimeUnit.SECONDS).contains("pounce-app-0-"));
    }
}
