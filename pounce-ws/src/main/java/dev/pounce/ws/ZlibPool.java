package dev.pounce.ws;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compressors and decompressors lent for one message at a time to sessions that keep no context between messages,
 * so an idle session holds no zlib memory (a JDK {@link Deflater} holds about 256 KiB of native memory, an
 * {@link Inflater} about 40 KiB). At most a few per processor are kept idle; the rest are ended at once. Shared by
 * every session and thread.
 */
final class ZlibPool {

    private static final int MAX_IDLE = 4 * Runtime.getRuntime().availableProcessors();

    private static final Idle<Deflater> DEFLATERS = new Idle<>(
            () -> new Deflater(Deflater.DEFAULT_COMPRESSION, true), Deflater::reset, Deflater::end);
    private static final Idle<Inflater> INFLATERS = new Idle<>(() -> new Inflater(true), Inflater::reset,
            Inflater::end);

    private ZlibPool() {
    }

    /** @return a raw (RFC 1951, no zlib header) compressor, reset */
    static Deflater deflater() {
        return DEFLATERS.take();
    }

    /** @param d a compressor from {@link #deflater()}, given back; it is reset, or ended if enough are idle */
    static void release(Deflater d) {
        DEFLATERS.give(d);
    }

    /** @return a raw decompressor, reset */
    static Inflater inflater() {
        return INFLATERS.take();
    }

    /** @param i a decompressor from {@link #inflater()}, given back */
    static void release(Inflater i) {
        INFLATERS.give(i);
    }

    /** The idle ones of one kind: at most {@link #MAX_IDLE} kept, the rest ended. */
    private record Idle<T>(Supplier<T> make, Consumer<T> reset, Consumer<T> end, Queue<T> queue,
                           AtomicInteger count) {
        Idle(Supplier<T> make, Consumer<T> reset, Consumer<T> end) {
            this(make, reset, end, new ConcurrentLinkedQueue<>(), new AtomicInteger());
        }

        T take() {
            T t = queue.poll();
            if (t == null) {
                return make.get();
            }
            count.decrementAndGet();
            return t;
        }

        void give(T t) {
            if (count.incrementAndGet() <= MAX_IDLE) {
                reset.accept(t);
                queue.add(t);
            } else {
                count.decrementAndGet();
                end.accept(t);
            }
        }
    }
}
