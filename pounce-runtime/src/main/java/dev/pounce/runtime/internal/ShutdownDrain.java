package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.listen.ServerSockets;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.supervisor.WorkerSlots;
import dev.pounce.runtime.internal.worker.LateArrivals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The graceful shutdown's drain, run once on its own {@code pounce-drain} thread. In order: the sockets go to the
 * server's own loop, which answers every late arrival with the drain {@code 503} (so from here on nothing new reaches
 * a worker, and nothing queued is reset); the workers drain and finish what is in flight, up to the graceful-shutdown
 * timeout, after which what is left is closed; then the sockets close, and the late arrivals still being answered
 * get a moment to receive their answer.
 */
final class ShutdownDrain {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);
    /** How long late arrivals being answered may still take once the workers are done. */
    private static final Duration LAST_ANSWERS = Duration.ofSeconds(1);

    private final ServerSockets sockets;
    private final LateArrivals late;
    private final WorkerSlots slots;

    ShutdownDrain(ServerSockets sockets, LateArrivals late, WorkerSlots slots) {
        this.sockets = sockets;
        this.late = late;
        this.slots = slots;
    }

    /**
     * @param reason  why, for the workers' events
     * @param timeout the graceful-shutdown timeout
     * @return whether every worker finished in time
     */
    boolean run(String reason, Duration timeout) {
        sockets.handTo(late);
        slots.drainForShutdown(reason);
        boolean graceful;
        try {
            graceful = slots.awaitTermination(timeout);
            if (!graceful) {
                int open = slots.activeConnections();
                LOG.warn("{} connection{} still open after {} s (--timeout-graceful-shutdown); closing them", open,
                        open == 1 ? "" : "s", timeout.toMillis() / 1000.0);
                slots.stop();
                // Child processes get SIGTERM, then SIGKILL after 2 s.
                slots.awaitTermination(Duration.ofSeconds(3));
            }
            sockets.closeSockets();
            late.awaitQuiet(LAST_ANSWERS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful = false;
        }
        late.closeAll();
        return graceful;
    }
}
