package dev.pounce.runtime.internal.process;

import dev.pounce.runtime.internal.metrics.Samples;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process worker's way to the whole server's metrics: a scrape that reaches this child sends {@code scrape} with a
 * number over the control channel; the parent gathers every child's samples and answers {@code scraped} with the
 * number and the merged samples. Any thread may ask; the child's control thread delivers the answers.
 */
final class ParentLink {

    /** How long a scrape waits for the parent, which itself waits up to two seconds for the other children. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private final ControlChannel control;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Samples>> pending = new ConcurrentHashMap<>();

    ParentLink(ControlChannel control) {
        this.control = control;
    }

    /** @return the whole server's samples, or a failure when the parent is gone or does not answer in time */
    CompletableFuture<Samples> ask() {
        long id = ids.incrementAndGet();
        var answer = new CompletableFuture<Samples>();
        pending.put(id, answer);
        answer.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).whenComplete((s, e) -> pending.remove(id));
        if (!control.trySend("scrape", Long.toString(id))) {
            answer.completeExceptionally(new IOException("the supervisor is gone"));
        }
        return answer;
    }

    /**
     * The parent answered.
     *
     * @param body the number of the request, a newline, then the samples
     */
    void answered(String body) {
        int newline = body.indexOf('\n');
        long id = Long.parseLong(newline < 0 ? body : body.substring(0, newline));
        var answer = pending.remove(id);
        if (answer != null) {
            answer.complete(Samples.decode(newline < 0 ? "" : body.substring(newline + 1)));
        }
    }
}
