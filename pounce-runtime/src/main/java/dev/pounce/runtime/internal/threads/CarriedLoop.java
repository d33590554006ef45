package dev.pounce.runtime.internal.threads;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;

import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A worker's event loop that an app cannot hold: Netty's I/O and the worker's apps share one platform thread, as
 * with answering on the loop, yet a connection waits for another connection's app no longer than the
 * {@link LoopWatchdog}'s bound.
 *
 * <p>How: the loop is a Netty {@link ManualIoEventLoop} whose owning thread is a virtual thread, the <em>driver</em>,
 * and the apps' virtual threads and the driver are all scheduled on the worker's {@link LoopCarriers}. Normally one
 * carrier runs them in turn: the driver runs the loop's I/O and tasks (blocking in {@code epoll_wait} when there is
 * nothing to do), then yields so the apps it woke run, each until it waits for something; then the driver again. No
 * request hops between threads, which is what makes the JDK's own scheduler cost half of raw Netty's speed. When an
 * app keeps the carrier (it computes, or blocks where a virtual thread cannot unmount: native code, some file I/O),
 * the driver waits in the queue; the watchdog sees the queue stand still and starts another carrier, which takes the
 * driver and the other apps on. Because the loop's owner is the virtual thread, not a platform thread, the loop can
 * move between carriers: that is what a platform-thread event loop cannot do.
 */
public final class CarriedLoop {

    private static final Optional<Constructor<?>> BUILDER = builder();

    private final LoopCarriers carriers;
    private final DrivenLoop loop;
    private final ThreadFactory appThreads;

    private CarriedLoop(int worker, IoHandlerFactory io) throws ReflectiveOperationException {
        carriers = new LoopCarriers("pounce-worker-" + worker);
        var scheduled = (Thread.Builder.OfVirtual) BUILDER.orElseThrow().newInstance(carriers);
        Thread driver = scheduled.name("pounce-loop-" + worker).unstarted(this::drive);
        loop = new DrivenLoop(driver, io, carriers);
        carriers.wakeWith(loop::wakeup);
        appThreads = ((Thread.Builder.OfVirtual) BUILDER.get().newInstance(carriers))
                .name("pounce-app-" + worker).factory();
        LoopWatchdog.watch(carriers);
        driver.start();
    }

    /**
     * Starts a worker's loop.
     *
     * @param worker the worker slot, for thread names
     * @param io     the transport's I/O handlers
     * @return the running loop, or empty where the JVM does not let Pounce choose a virtual thread's scheduler
     */
    public static Optional<CarriedLoop> start(int worker, IoHandlerFactory io) {
        if (BUILDER.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CarriedLoop(worker, io));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return whether this JVM lets Pounce carry loops this way */
    public static boolean available() {
        return BUILDER.isPresent();
    }

    /** @return the event loop: register channels on it, run tasks on it */
    public IoEventLoop loop() {
        return loop;
    }

    /** @return the factory for this worker's app threads, carried with the loop */
    public ThreadFactory appThreads() {
        return appThreads;
    }

    /** @return completes when the loop has stopped and its last task has run */
    public Future<?> terminationFuture() {
        return loop.terminationFuture();
    }

    private void drive() {
        FastThreadLocalThread.runWithFastThreadLocal(() -> {
            try {
                carriers.driving(true);
                while (!loop.isTerminated()) {
                    loop.run(0);
                    if (carriers.hasWaiting()) {
                        carriers.driving(false);
                        Thread.yield();
                        carriers.driving(true);
                    }
                }
            } finally {
                carriers.driving(false);
                carriers.loopEnded();
                LoopWatchdog.forget(carriers);
            }
        });
    }

    /** Netty's manual loop, which may block in its I/O wait only while no app is waiting for the carrier. */
    private static final class DrivenLoop extends ManualIoEventLoop {
        private final LoopCarriers carriers;

        DrivenLoop(Thread owner, IoHandlerFactory io, LoopCarriers carriers) {
            super(owner, io);
            this.carriers = carriers;
        }

        @Override
        protected boolean canBlock() {
            return !carriers.hasWaiting();
        }
    }

    private static Optional<Constructor<?>> builder() {
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
