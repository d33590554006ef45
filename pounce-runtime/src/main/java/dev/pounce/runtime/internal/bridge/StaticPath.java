package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.StaticMount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Turns the rest of a request path below a static prefix into a regular file inside the mounted folder, or refuses.
 * Every refusal is the same {@code 404}, so a client learns nothing about what lies outside the folder or is hidden.
 *
 * <p>Refused: a raw path holding a backslash, NUL, or an escaped {@code /}, {@code \} or NUL ({@code %2f},
 * {@code %5c}, {@code %00}), which could make one segment look like two to one reader and one to another; an escape
 * that is malformed or not UTF-8; an empty, {@code .} or {@code ..} segment, escaped or not ({@code %2e%2e}), since
 * the check runs on the decoded segments; a segment starting with {@code .} (a hidden file such as {@code .env} or
 * {@code .git}) except {@code .well-known} (RFC 8615); and any file whose real path (every symbolic link followed)
 * is not inside the folder's real path. A symbolic link that stays inside the folder is served. A folder is answered
 * by its {@code index.html}, checked the same way, and never listed; a folder asked for without its final {@code /}
 * is redirected to it with {@code 301}, so that the page's relative links resolve below it, as nginx and Apache do.
 */
final class StaticPath {

    /** The file a folder is answered with. */
    static final String INDEX = "index.html";

    /** What a path resolves to. */
    sealed interface Found {
    }

    /**
     * A regular file inside the folder.
     *
     * @param file       its real path
     * @param attributes its size and modification time, read once
     */
    record File(Path file, BasicFileAttributes attributes) implements Found {
    }

    /** A folder asked for without its final {@code /}: redirect to the same path with one. */
    record Folder() implements Found {
    }

    /** Nothing to serve: {@code 404}. */
    record Missing() implements Found {
    }

    private static final Missing MISSING = new Missing();

    private StaticPath() {
    }

    /**
     * @param mount the folder
     * @param rest  the raw path below the prefix: empty (the prefix itself), or starting with {@code /}; without
     *              the query
     * @return what to serve
     */
    static Found resolve(StaticMount mount, String rest) {
        String lower = rest.toLowerCase(Locale.ROOT);
        if (rest.indexOf('\\') >= 0 || rest.indexOf('\0') >= 0 || lower.contains("%2f") || lower.contains("%5c")
                || lower.contains("%00")) {
            return MISSING;
        }
        if (rest.isEmpty()) {
            // The prefix itself, "/assets": the folder, asked for without its final "/".
            return new Folder();
        }
        boolean slash = rest.endsWith("/");
        String inner = rest.length() == 1 ? "" : rest.substring(1, slash ? rest.length() - 1 : rest.length());
        if (rest.length() > 1 && inner.isEmpty()) {
            // "//": an empty segment.
            return MISSING;
        }
        Path candidate = mount.directory();
        if (!inner.isEmpty()) {
            for (String raw : inner.split("/", -1)) {
                String segment = decode(raw);
                if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")
                        || segment.startsWith(".") && !segment.equals(".well-known")
                        || segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                    return MISSING;
                }
                candidate = candidate.resolve(segment);
            }
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(mount.directory())) {
                return MISSING;
            }
            var attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                if (!slash) {
                    return new Folder();
                }
                return regular(mount, real.resolve(INDEX));
            }
            if (slash) {
                // "/file.txt/" names a folder that is a file: no such thing.
                return MISSING;
            }
            return attributes.isRegularFile() ? new File(real, attributes) : MISSING;
        } catch (IOException | SecurityException e) {
            return MISSING;
        }
    }

    /**
     * A file beside another ({@code index.html}, or a precompressed {@code .br} sibling), checked as a requested
     * one is: its real path inside the folder, a regular file.
     *
     * @param mount the folder
     * @param path  the file's path, inside the folder before links are followed
     * @return the file, or {@link Missing}
     */
    static Found regular(StaticMount mount, Path path) {
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(mount.directory())) {
                return MISSING;
            }
            var attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? new File(real, attributes) : MISSING;
        } catch (IOException | SecurityException e) {
            return MISSING;
        }
    }

    /** @return the segment with its escapes decoded as UTF-8, or null if an escape is malformed or not UTF-8 */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        var bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
