package dev.pounce.runtime.internal.threads;

import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;

/**
 * The threads apps run on with {@code --dispatch virtual}: one virtual thread per request on the JDK's scheduler,
 * named {@code pounce-app-<worker>} (a virtual thread has its own id in a dump; a per-request name cost a string per request). With {@code --dispatch loop} (the default) a {@link CarriedLoop} makes them
 * instead; this class also says at startup which of the two a server got.
 */
public final class AppThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);

    private AppThreads() {
    }

    /**
     * @param worker the worker slot, for thread names
     * @return the factory for the worker's app threads on the JDK's scheduler
     */
    public static ThreadFactory onJdkScheduler(int worker) {
        return Thread.ofVirtual().name("pounce-app-" + worker).factory();
    }

    /** Logs once at startup what {@code --dispatch} will do here. */
    public static void announce(String dispatch) {
        if (dispatch.equals("loop") && !CarriedLoop.available()) {
            LOG.warn("--dispatch loop needs --add-opens java.base/java.lang=dev.pounce.runtime (the pounce launchers "
                    + "pass it); apps run on the JDK's virtual-thread scheduler instead");
        } else if (dispatch.equals("loop")) {
            LOG.info("apps run on virtual threads carried with each worker's event loop (--dispatch loop); a loop "
                    + "whose thread an app holds moves to another thread within {} ms", 2 * LoopWatchdog.TICK.toMillis());
        }
    }
}
