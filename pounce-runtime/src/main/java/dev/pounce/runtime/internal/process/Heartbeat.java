package dev.pounce.runtime.internal.process;

import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.runtime.internal.worker.EventLoopWorker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child's heartbeat: every {@link #INTERVAL} a {@code heartbeat} message ("active served", and with
 * {@code --metrics-path} a newline and the child's metrics' samples, so that the parent's copy is never more than a
 * beat old when the child dies) to the supervisor, sent
 * only while the worker's event loop turns. The supervisor ({@link ChildProcessWorker}) kills a child whose
 * heartbeats stop for longer than its silence bound, so a heartbeat must mean "this worker can still serve", not "some
 * thread of this JVM is alive".
 *
 * <p>Two halves, on purpose. A probe scheduled on the event loop stamps the time each time the loop runs it; it only
 * writes a volatile, so it costs the worker's connections nothing. A virtual thread ({@code pounce-heartbeat-N})
 * sends, and only while the stamp is fresh. The send is not made on the loop itself because it is a blocking write
 * on the control socket: a parent slow to read would stall every connection of the worker. A sender that did not
 * look at the stamp would keep ticking while the loop is wedged (a deadlock, a handler spinning on the loop), and
 * the supervisor would never notice. A JVM that is stopped (SIGSTOP) or stuck in a GC spiral stops both halves.
 *
 * <p>Once the worker has stopped its loop (after a drain or a stop), the main thread runs the app's lifespan
 * shutdown, which has its own timeout; the sender keeps beating through it so that an orderly end is not taken for
 * a hang. {@link #close} ends it before the child reports {@code stopped}.
 */
final class Heartbeat implements AutoCloseable {

    /** How often the child beats. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A probe older than this means the loop is stuck: the sender stays silent. */
    private static final Duration STALE = INTERVAL.multipliedBy(3);

    private final ControlChannel control;
    private final EventLoopWorker worker;
    private final ServerMetrics metrics;
    private volatile long loopTurnedNanos = System.nanoTime();
    private final CountDownLatch closed = new CountDownLatch(1);

    private Heartbeat(ControlChannel control, EventLoopWorker worker, ServerMetrics metrics) {
        this.control = control;
        this.worker = worker;
        this.metrics = metrics;
    }

    /**
     * Starts beating.
     *
     * @param control the channel to the supervisor
     * @param worker  the worker whose loop must turn, already started
     * @param metrics the child's metrics, whose samples each beat carries when they are on
     * @return the heartbeat, to close when the child ends
     */
    static Heartbeat start(ControlChannel control, EventLoopWorker worker, ServerMetrics metrics) {
        var heartbeat = new Heartbeat(control, worker, metrics);
        worker.onLoopEvery(INTERVAL, () -> heartbeat.loopTurnedNanos = System.nanoTime());
        Thread.ofVirtual().name("pounce-heartbeat-" + worker.identity().id()).start(heartbeat::beat);
        return heartbeat;
    }

    private void beat() {
        while (true) {
            boolean turning = System.nanoTime() - loopTurnedNanos < STALE.toNanos();
            if (turning || worker.terminated().isDone()) {
                String beat = worker.activeConnections() + " " + worker.bridge().served();
                if (metrics.on()) {
                    beat += "\n" + metrics.local().encode();
                }
                if (!control.trySend("heartbeat", beat)) {
                    return;
                }
            }
            try {
                if (closed.await(INTERVAL.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops beating. Not by interrupting the sender: an interrupt that lands during a write closes the control
     * channel itself ({@link java.nio.channels.ClosedByInterruptException}), and the child could no longer say
     * {@code stopped}.
     */
    @Override
    public void close() {
        closed.countDown();
    }
}
