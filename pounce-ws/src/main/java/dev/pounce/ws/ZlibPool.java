package dev.pounce.ws;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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

    private static final ConcurrentLinkedQueue<Deflater> DEFLATERS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Inflater> INFLATERS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger IDLE_DEFLATERS = new AtomicInteger();
    private static final AtomicInteger IDLE_INFLATERS = new AtomicInteger();

    private ZlibPool() {
    }

    /** @return a raw (RFC 1951, no zlib header) compressor, reset */
    static Deflater deflater() {
        Deflater d = DEFLATERS.poll();
        if (d == null) {
            return new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        IDLE_DEFLATERS.decrementAndGet();
        return d;
    }

    /** @param d a compressor from {@link #deflater()}, given back; it is reset, or ended if enough are idle */
    static void release(Deflater d) {
        if (IDLE_DEFLATERS.incrementAndGet() <= MAX_IDLE) {
            d.reset();
            DEFLATERS.add(d);
        } else {
            IDLE_DEFLATERS.decrementAndGet();
            d.end();
        }
    }

    /** @return a raw decompressor, reset */
    static Inflater inflater() {
        Inflater i = INFLATERS.poll();
        if (i == null) {
            return new Inflater(true);
        }
        IDLE_INFLATERS.decrementAndGet();
        return i;
    }

    /** @param i a decompressor from {@link #inflater()}, given back */
    static void release(Inflater i) {
        if (IDLE_INFLATERS.incrementAndGet() <= MAX_IDLE) {
            i.reset();
            INFLATERS.add(i);
        } else {
            IDLE_INFLATERS.decrementAndGet();
            i.end();
        }
    }
}
