package dev.pounce.runtime.internal.threads;

import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The threads apps run on: one virtual thread per request, named {@code pounce-app-<worker>-<n>}.
 *
 * <p>With dispatch {@code loop} the virtual threads are carried by the worker's own event loop instead of the JDK's
 * scheduler, so a request never hops between threads: DESIGN.md section 5 measured the hop to the JDK's carriers as
 * the largest cost of the blocking API (0.77x the requests of answering on the loop), and loop-carried virtual
 * threads as costing about what answering inline does. The JDK offers no public way to give a virtual thread its
 * scheduler; its builder has a non-public constructor taking one, reached here by reflection, which needs
 * {@code --add-opens java.base/java.lang=dev.pounce.runtime} (our launchers pass it). Without it the mode falls
 * back to the default scheduler, with one log line.
 */
public final class AppThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.APP);
    private static final Optional<Constructor<?>> CARRIED_BUILDER = carriedBuilder();

    private AppThreads() {
    }

    /**
     * @param dispatch {@code virtual} or {@code loop}
     * @param loop     the worker's event loop, the carrier in {@code loop} mode
     * @param worker   the worker slot, for thread names
     * @return the factory for the worker's app threads
     */
    public static ThreadFactory forWorker(String dispatch, Executor loop, int worker) {
        String prefix = "pounce-app-" + worker + "-";
        if (dispatch.equals("loop") && CARRIED_BUILDER.isPresent()) {
            try {
                var builder = (Thread.Builder.OfVirtual) CARRIED_BUILDER.get().newInstance(loop);
                return builder.name(prefix, 0).factory();
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("--dispatch loop failed ({}); apps run on the default virtual-thread scheduler", e.toString());
            }
        }
        return Thread.ofVirtual().name(prefix, 0).factory();
    }

    /** @return whether {@code --dispatch loop} can be honoured in this JVM */
    public static boolean loopDispatchAvailable() {
        return CARRIED_BUILDER.isPresent();
    }

    /** Logs once at startup what {@code --dispatch loop} will do here. */
    public static void announce(String dispatch) {
        if (dispatch.equals("loop") && CARRIED_BUILDER.isEmpty()) {
            LOG.warn("--dispatch loop needs --add-opens java.base/java.lang=dev.pounce.runtime (the pounce launchers "
                    + "pass it); apps run on the default virtual-thread scheduler instead");
        } else if (dispatch.equals("loop")) {
            LOG.info("apps run on virtual threads carried with each worker's event loop (--dispatch loop); an app that "
                    + "holds its thread for more than {} ms gets the loop moved to another", 2 * LoopWatchdog.TICK.toMillis());
        }
    }

    private static Optional<Constructor<?>> carriedBuilder() {
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> c = builder.getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            return Optional.of(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
