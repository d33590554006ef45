package dev.pounce.runtime.internal.compress;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) with the JDK's {@link Deflater}: a raw deflate stream between gzip's header and its trailer (CRC-32
 * and length), written by hand because {@link java.util.zip.GZIPOutputStream} cannot be given a level.
 */
final class GzipEncoder implements BodyEncoder {

    /** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[8192];
    private boolean headerWritten;
    private boolean closed;

    /** @param level 1 to 9 */
    GzipEncoder(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public byte[] encode(byte[] chunk, boolean last) {
        var out = new ByteArrayOutputStream(Math.max(64, chunk.length / 3));
        if (!headerWritten) {
            out.writeBytes(HEADER);
            headerWritten = true;
        }
        crc.update(chunk);
        deflater.setInput(chunk);
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            long crcValue = crc.getValue();
            long size = deflater.getBytesRead();
            for (int i = 0; i < 4; i++) {
                out.write((int) (crcValue >>> (8 * i)));
            }
            for (int i = 0; i < 4; i++) {
                out.write((int) (size >>> (8 * i)));
            }
            close();
        } else {
            // A sync flush ends on a byte boundary with an empty stored block: all input so far can be decoded.
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deflater.end();
        }
    }
}
