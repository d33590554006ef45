/**
 * The one place the runtime makes threads, so every thread has a name an operator can read in a thread dump; and
 * the default dispatch, which decides the threads apps run on.
 *
 * <h2>Why the default dispatch carries the loop</h2>
 *
 * The app API blocks, so every request runs on a virtual thread. DESIGN.md section 5 measured where that costs:
 * handing the request to the JDK's carrier threads and back halves the requests per second of raw Netty, while a
 * virtual thread carried by the worker's own event loop costs what answering inline does. But a loop-carried app
 * that computes, or blocks where a virtual thread cannot unmount (native code, file reads, a pipe), holds every
 * connection of its worker, because a Netty event loop belongs to one platform thread for its life.
 *
 * <p>{@link dev.pounce.runtime.internal.threads.CarriedLoop} removes that "for its life". The worker's loop is a
 * Netty {@code ManualIoEventLoop} whose owning thread is itself a virtual thread, the driver, scheduled with the
 * worker's apps on the worker's own carriers ({@link dev.pounce.runtime.internal.threads.LoopCarriers}). One
 * carrier runs the driver and the apps in turn, so nothing hops; when an app holds the carrier, the driver waits in
 * the queue, and the {@link dev.pounce.runtime.internal.threads.LoopWatchdog} (one thread per JVM, a look every
 * 10 ms) sees the queue stand still and starts another carrier, which takes the loop on. That is the Go runtime's
 * answer to a goroutine stuck in a system call, made from parts the JDK and Netty have. The bound it gives: a
 * connection waits for another connection's app at most two watchdog ticks, 20 ms, plus the time the operating
 * system takes to run the new thread. It does not make a held app faster; a worker whose apps hold threads often
 * pays a thread start each time, and is better served by {@code --dispatch virtual}, which the log line says.
 *
 * <p>What was not chosen: a watchdog that only moves <em>new</em> requests elsewhere once a loop is seen held
 * (the connections already on that loop would still wait for the whole hold); running apps inline on the loop until
 * they first block (Java cannot see that moment); a cheaper hop to a carrier pool (measured: no return path did
 * better than 0.80x).
 */
package dev.pounce.runtime.internal.threads;
