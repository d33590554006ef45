package dev.pounce.runtime.internal.compress;

import dev.pounce.api.Compression;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which codings this JVM can produce, found once: gzip always; zstd and brotli when their modules are resolved and
 * their native libraries load. A class that names a missing module fails only when it is first used, so each is
 * tried once here and never touched again when it failed.
 */
final class Codecs {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);

    /** Why zstd cannot be offered, or empty when it can. */
    private static final Optional<Throwable> ZSTD = probe("zstd");
    /** Why brotli cannot be offered, or empty when it can. */
    private static final Optional<Throwable> BROTLI = probe("br");
    /** Whether the missing codings were logged: once per JVM, not once per worker. */
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private Codecs() {
    }

    /**
     * @param wanted the codings asked for, best first
     * @return those this JVM can produce, in the same order
     */
    static List<String> available(List<String> wanted) {
        List<String> out = new ArrayList<>(wanted.size());
        boolean tell = !TOLD.getAndSet(true);
        for (String coding : wanted) {
            Optional<Throwable> missing = switch (coding) {
                case "zstd" -> ZSTD;
                case "br" -> BROTLI;
                default -> Optional.empty();
            };
            if (missing.isEmpty()) {
                out.add(coding);
            } else if (tell) {
                // NoClassDefFoundError when the module is absent, UnsatisfiedLinkError when its library is.
                LOG.info("compression: {} is not offered: {} is not on the module path or did not load ({})", coding,
                        coding.equals("zstd") ? "com.github.luben:zstd-jni" : "com.aayushatharva.brotli4j:brotli4j",
                        missing.get().toString());
            }
        }
        return out;
    }

    /**
     * @param coding one of {@link #available}'s
     * @param levels the levels
     * @return a new encoder for one body
     * @throws IOException if the native encoder cannot be made
     */
    static BodyEncoder encoder(String coding, Compression levels) throws IOException {
        return switch (coding) {
            case "zstd" -> new ZstdEncoder(levels.zstdLevel());
            case "br" -> new BrotliEncoder(levels.brotliLevel());
            case "gzip" -> new GzipEncoder(levels.gzipLevel());
            default -> throw new IllegalArgumentException("unknown coding " + coding);
        };
    }

    private static Optional<Throwable> probe(String coding) {
        try {
            if (coding.equals("br")) {
                BrotliEncoder.load();
            }
            encoder(coding, Compression.DEFAULT).encode(new byte[] {'x'}, true);
            return Optional.empty();
        } catch (Throwable t) {
            return Optional.of(t);
        }
    }
}
