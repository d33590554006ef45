package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.ServerConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cap on requests in flight and its queue, on a real event loop as the bridge uses them, with releases from other
 * threads as the apps' threads give slots back. Every wait is for an event (a waiter admitted or refused), never for
 * an amount of time.
 */
class ConcurrencyLimitTest {

    private static final EventLoop LOOP = new DefaultEventLoop();
    private static final long BOUND = 30;

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** A request in the queue that records what became of it. */
    private static class Waiter implements ConcurrencyLimit.Waiter {
        final CompletableFuture<String> outcome = new CompletableFuture<>();

        @Override
        public void admit() {
            assertTrue(LOOP.inEventLoop(), "admitted on the loop");
            assertTrue(outcome.complete("admitted"), "told once");
        }

        @Override
        public void refuse() {
            assertTrue(LOOP.inEventLoop(), "refused on the loop");
            assertTrue(outcome.complete("refused"), "told once");
        }

        String await() throws Exception {
            return outcome.get(BOUND, TimeUnit.SECONDS);
        }
    }

    private static ConcurrencyLimit limit(int cap, int queue, Duration timeout) {
        return ConcurrencyLimit.of(ServerConfig.builder().limitConcurrency(cap).limitQueue(queue).queueTimeout(timeout)
                .build().loadLimits()).orElseThrow();
    }

    /** Runs on the loop, as the bridge does, and gives back the result. */
    private static <T> T on(Callable<T> task) throws Exception {
        return LOOP.submit(task).get(BOUND, TimeUnit.SECONDS);
    }

    @Test
    void offWhenTheCapIsZero() {
        assertTrue(ConcurrencyLimit.of(ServerConfig.defaults().loadLimits()).isEmpty());
    }

    @Test
    void theCapExactlyReachedStartsAndOneOverIsRefusedWithNoQueue() throws Exception {
        var limit = limit(2, 0, Duration.ofSeconds(60));
        assertTrue(on(limit::tryStart));
        assertTrue(on(limit::tryStart), "the second of two: exactly at the cap");
        assertFalse(on(limit::tryStart), "one over");
        assertFalse(on(() -> limit.enqueue(LOOP, new Waiter())), "no queue: refused at once");
        assertTrue(on(limit::saturated));
        limit.release();
        assertEquals(1, limit.active());
        assertTrue(on(limit::tryStart), "a released slot is free again");
    }

    @Test
    void waitersAreAdmittedOldestFirstAndOnePastTheQueueIsRefused() throws Exception {
        var limit = limit(1, 2, Duration.ofSeconds(60));
        var first = new Waiter();
        var second = new Waiter();
        assertTrue(on(limit::tryStart));
        assertTrue(on(() -> limit.enqueue(LOOP, first)));
        assertTrue(on(() -> limit.enqueue(LOOP, second)), "the queue exactly full");
        assertFalse(on(() -> limit.enqueue(LOOP, new Waiter())), "one past the queue");
        assertEquals(2, on(limit::waiting));

        Thread.ofVirtual().start(limit::release).join();
        assertEquals("admitted", first.await());
        assertFalse(second.outcome.isDone(), "the slot went to the oldest; the other still waits");
        assertEquals(1, limit.active(), "the admitted waiter holds the slot given back");

        Thread.ofVirtual().start(limit::release).join();
        assertEquals("admitted", second.await());
        assertEquals(0, on(limit::waiting));
    }

    @Test
    void aNewcomerNeverOvertakesAWaiter() throws Exception {
        var limit = limit(1, 1, Duration.ofSeconds(60));
        var waiter = new Waiter();
        assertTrue(on(limit::tryStart));
        assertTrue(on(() -> limit.enqueue(LOOP, waiter)));
        // Hold the loop, release the slot (its hop to the loop queues behind), then try to start on the loop: the
        // slot is free, but it is the waiter's.
        var hold = new CountDownLatch(1);
        var newcomer = LOOP.submit(() -> {
            hold.await();
            return limit.tryStart();
        });
        limit.release();
        assertEquals(0, limit.active());
        hold.countDown();
        assertFalse(newcomer.get(BOUND, TimeUnit.SECONDS), "a free slot with someone waiting is not a newcomer's");
        assertEquals("admitted", waiter.await());
        assertEquals(1, limit.active());
    }

    @Test
    void aSlotReleasedBetweenAFailedStartAndTheQueueingIsNotLost() throws Exception {
        var limit = limit(1, 1, Duration.ofSeconds(60));
        var waiter = new Waiter();
        assertTrue(on(limit::tryStart));
        // The race, in slow motion: the start fails, then the app ends and releases while no one waits yet, so its
        // release does not hop to the loop; only the queueing itself can still see the free slot.
        assertTrue(on(() -> {
            assertFalse(limit.tryStart());
            Thread.ofVirtual().start(limit::release).join();
            return limit.enqueue(LOOP, waiter);
        }));
        assertEquals("admitted", waiter.await());
        assertEquals(1, limit.active());
    }

    @Test
    void aWaiterWhoseTimeIsUpIsRefusedAndKeepsNoPlace() throws Exception {
        var limit = limit(1, 1, Duration.ofMillis(5));
        var waiter = new Waiter();
        assertTrue(on(limit::tryStart));
        assertTrue(on(() -> limit.enqueue(LOOP, waiter)));
        assertEquals("refused", waiter.await());
        assertEquals(0, on(limit::waiting));
        assertEquals(1, limit.active(), "the slot is still the running request's");
        var next = new Waiter();
        // In one task on the loop, so that its own timer cannot fire in between.
        assertTrue(on(() -> {
            boolean queued = limit.enqueue(LOOP, next);
            limit.withdraw(next);
            return queued;
        }), "the refused waiter's place is free again");
        limit.release();
        assertTrue(on(limit::tryStart), "and it took no slot");
    }

    @Test
    void aWithdrawnWaiterIsNeitherAdmittedNorRefused() throws Exception {
        var limit = limit(1, 2, Duration.ofMillis(20));
        var gone = new Waiter();
        assertTrue(on(limit::tryStart));
        assertTrue(on(() -> limit.enqueue(LOOP, gone)));
        on(() -> {
            limit.withdraw(gone);
            return null;
        });
        assertEquals(0, on(limit::waiting));
        // A later waiter times out after the withdrawn one would have: its refusal proves the first timer was
        // cancelled, not merely late.
        var later = new Waiter();
        assertTrue(on(() -> limit.enqueue(LOOP, later)));
        assertEquals("refused", later.await());
        assertFalse(gone.outcome.isDone(), "the withdrawn waiter heard nothing");
        limit.release();
        on(() -> null);
        assertFalse(gone.outcome.isDone(), "nor when a slot freed");
    }

    @Test
    void manyReleasesFromManyThreadsLoseNoWakeupAndNeverPassTheCap() throws Exception {
        for (int cap : new int[]{1, 4}) {
            manyReleases(cap, 20_000);
        }
    }

    /**
     * Offers each request in a task of its own on the loop, so that offers and releases interleave as they do under
     * load. With one slot, a wakeup lost between a failed start and the queueing would leave every later request
     * waiting behind it.
     */
    private static void manyReleases(int cap, int requests) throws Exception {
        var limit = limit(cap, requests, Duration.ofSeconds(120));
        var running = new AtomicInteger();
        var most = new AtomicInteger();
        var done = new CountDownLatch(requests);
        // Each admitted request runs on its own virtual thread, as an app does, and gives its slot back from there.
        Runnable app = () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            running.decrementAndGet();
            limit.release();
            done.countDown();
        };
        List<Waiter> waiters = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < requests; i++) {
            LOOP.execute(() -> {
                if (limit.tryStart()) {
                    Thread.ofVirtual().start(app);
                } else {
                    var w = new Waiter() {
                        @Override
                        public void admit() {
                            super.admit();
                            Thread.ofVirtual().start(app);
                        }
                    };
                    waiters.add(w);
                    assertTrue(limit.enqueue(LOOP, w));
                }
            });
        }
        assertTrue(done.await(BOUND * 2, TimeUnit.SECONDS), "cap " + cap + ": requests left waiting: "
                + done.getCount());
        assertTrue(most.get() <= cap, "at most " + cap + " ran at once, saw " + most.get());
        for (Waiter w : waiters) {
            assertEquals("admitted", w.await());
        }
        assertEquals(0, on(limit::waiting));
        assertEquals(0, limit.active(), "every slot given back");
    }
}
