package dev.pounce.demo;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Receive;
import dev.pounce.api.Send;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sse?count=N&interval=MS}: N server-sent events (default 5, at most 1000), each flushed, MS
 * milliseconds apart (default 200, at most 60000). A second virtual thread waits on {@code receive()} and stops
 * the stream as soon as the client disconnects.
 */
final class EventStream {

    static final int MAX_COUNT = 1000;
    static final int MAX_INTERVAL_MS = 60_000;

    private EventStream() {
    }

    static void serve(HttpScope scope, Receive receive, Send send) throws IOException, InterruptedException {
        Optional<Integer> count = QueryParams.intParam(scope, "count", 5, 0, MAX_COUNT);
        Optional<Integer> interval = QueryParams.intParam(scope, "interval", 200, 0, MAX_INTERVAL_MS);
        if (count.isEmpty() || interval.isEmpty()) {
            DemoApp.respond(scope, send, 400, "text/plain; charset=utf-8",
                    "count and interval must be whole numbers\n");
            return;
        }
        var gone = new CountDownLatch(1);
        Thread watcher = Thread.ofVirtual().name("demo-sse-disconnect").start(() -> awaitDisconnect(receive, gone));
        try {
            int worker = scope.worker().id();
            send.send(new HttpMessage.ResponseStart(200, Headers.of(
                    "content-type", "text/event-stream",
                    "cache-control", "no-cache",
                    DemoApp.WORKER_HEADER, String.valueOf(worker))));
            for (int i = 1; i <= count.get(); i++) {
                String event = "id: " + i + "\nevent: tick\ndata: {\"n\":" + i + ",\"worker\":" + worker + "}\n\n";
                send.send(new HttpMessage.ResponseBody(event.getBytes(StandardCharsets.UTF_8), true));
                if (i < count.get() && gone.await(interval.get(), TimeUnit.MILLISECONDS)) {
                    return; // the client left: nobody to finish the stream for
                }
            }
            send.send(new HttpMessage.ResponseBody(HttpMessage.EMPTY, false));
        } catch (IOException e) {
            // The client went away while we wrote; the stream simply ends.
        } finally {
            watcher.interrupt();
        }
    }

    private static void awaitDisconnect(Receive receive, CountDownLatch gone) {
        try {
            while (!(receive.receive() instanceof HttpMessage.Disconnect)) {
                // Request body chunks of a GET are empty; skip them until the client goes away.
            }
            gone.countDown();
        } catch (InterruptedException e) {
            // The stream ended first.
        }
    }
}
