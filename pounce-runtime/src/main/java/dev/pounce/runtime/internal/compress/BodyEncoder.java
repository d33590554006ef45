package dev.pounce.runtime.internal.compress;

import java.io.IOException;

/**
 * One response body's encoder, used by the app's thread only. Each call returns the bytes that decode to all the
 * input so far: a chunk that is not the last is flushed (gzip's sync flush, zstd's and brotli's flush), so a
 * streamed response is never held back inside the encoder, at the cost of a few bytes per chunk.
 */
interface BodyEncoder {

    /**
     * @param chunk the next part of the body, maybe empty
     * @param last  whether it ends the body; the encoder then writes its end and frees what it holds
     * @return the encoded bytes, maybe empty
     * @throws IOException if the encoder fails
     */
    byte[] encode(byte[] chunk, boolean last) throws IOException;

    /** Frees native memory when the body ends early (the client left, the app failed); safe to call again. */
    void close();
}
