package dev.pounce.runtime.internal.compress;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * zstd (RFC 8878) with zstd-jni's streaming compressor; a flush ends the current block so the bytes so far decode.
 * Loaded only when {@link Codecs} found the module.
 */
final class ZstdEncoder implements BodyEncoder {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final ZstdOutputStreamNoFinalizer zstd;
    private boolean closed;

    /** @param level 1 to 22 */
    ZstdEncoder(int level) throws IOException {
        this.zstd = new ZstdOutputStreamNoFinalizer(sink, level);
    }

    @Override
    public byte[] encode(byte[] chunk, boolean last) throws IOException {
        zstd.write(chunk);
        if (last) {
            closed = true;
            zstd.close();
        } else {
            zstd.flush();
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
                zstd.close();
            } catch (IOException e) {
                // Nothing more is sent on a body that ended early; the native memory is freed all the same.
            }
        }
    }
}
