package dev.pounce.runtime.internal.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Brotli (RFC 7932) with brotli4j's streaming encoder; a flush makes the bytes so far decode. Loaded only when
 * {@link Codecs} found the module and its native library.
 */
final class BrotliEncoder implements BodyEncoder {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final BrotliOutputStream brotli;
    private boolean closed;

    /** Loads the native library, once; throws if it cannot be loaded on this platform. */
    static void load() {
        Brotli4jLoader.ensureAvailability();
    }

    /** @param level 0 to 11 */
    BrotliEncoder(int level) throws IOException {
        this.brotli = new BrotliOutputStream(sink, new Encoder.Parameters().setQuality(level));
    }

    @Override
    public byte[] encode(byte[] chunk, boolean last) throws IOException {
        brotli.write(chunk);
        if (last) {
            closed = true;
            brotli.close();
        } else {
            brotli.flush();
        }
        byte[] out = sink.toByteArray();
        sink.reset();
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                brotli.close();
            } catch (IOException e) {
                // As for zstd: the body ended early, and closing only frees the encoder.
            }
        }
    }
}
