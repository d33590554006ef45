package dev.pounce.runtime.internal.threads;

import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per JVM that looks at every carried loop ({@link LoopCarriers}) each {@link #TICK}: a loop whose
 * queue has work waiting and has not moved since the last look is held by an app, and gets another carrier. So a
 * connection waits for another connection's app at most two ticks (plus the time the operating system takes to run
 * the new thread), whatever the app does. The first time for each worker it says so in the log, with the advice to
 * use {@code --dispatch virtual} for an app that holds threads often.
 *
 * <p>It only reads counters the carriers keep and is the only thread that starts carriers on a held loop; it costs
 * one wake-up per tick while a server runs.
 */
final class LoopWatchdog {

    /** How often the loops are looked at: the bound on a held loop is two of these. */
    static final Duration TICK = Duration.ofMillis(10);

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);
    private static final Set<LoopCarriers> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Object START = new Object();
    private static Thread thread;

    private LoopWatchdog() {
    }

    /** @param carriers a loop's carriers, looked at from now until {@link #forget} */
    static void watch(LoopCarriers carriers) {
        WATCHED.add(carriers);
        synchronized (START) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("pounce-loop-watchdog").start(LoopWatchdog::run);
            }
        }
    }

    /** @param carriers a stopped loop's carriers */
    static void forget(LoopCarriers carriers) {
        WATCHED.remove(carriers);
    }

    private static void run() {
        long tick = TICK.toNanos();
        while (true) {
            LockSupport.parkNanos(tick);
            for (LoopCarriers carriers : WATCHED) {
                if (carriers.starved()) {
                    switch (carriers.compensate()) {
                        case FIRST -> LOG.warn("{}'s loop waited more than {} ms for its thread, held by an app "
                                + "(computing, or blocked in native code or file I/O) or by a machine short of CPU; "
                                + "another thread took the loop on. Apps that hold threads often run better with "
                                + "--dispatch virtual", carriers.name(), TICK.toMillis());
                        case AGAIN -> LOG.debug("an app held {}'s thread again; another thread took over",
                                carriers.name());
                        case AT_CAP -> LOG.warn("apps hold {} threads of {}; its connections wait until one lets go",
                                LoopCarriers.MAX_CARRIERS, carriers.name());
                    }
                }
            }
        }
    }
}
