package dev.pounce.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks {@code --static /prefix=DIR} and {@code --static-cache-control /prefix=VALUE} for
 * {@link ServerConfig.Builder#build()}. A bad value is a {@link ConfigException} naming the field, which the command
 * line rewords to name the flag.
 */
final class StaticRules {

    /** The most folders that may be mounted: each request compares its path with every prefix. */
    static final int MAX_MOUNTS = 64;

    private StaticRules() {
    }

    /**
     * @param specs        {@code /prefix=DIR} items
     * @param cacheControl {@code /prefix=VALUE} items, each naming a prefix of {@code specs}
     * @return the mounts, longest prefix first, so that the first that matches a request is the one that wins
     * @throws ConfigException naming {@code staticFiles} or {@code staticCacheControl}
     */
    static List<StaticMount> mounts(List<String> specs, List<String> cacheControl) {
        if (specs == null) {
            throw new ConfigException("staticFiles", "staticFiles must be a list, got nothing");
        }
        if (cacheControl == null) {
            throw new ConfigException("staticCacheControl", "staticCacheControl must be a list, got nothing");
        }
        if (specs.size() > MAX_MOUNTS) {
            throw new ConfigException("staticFiles", "staticFiles takes at most " + MAX_MOUNTS + " folders, got "
                    + specs.size());
        }
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("staticFiles", "staticFiles takes /prefix=DIR, such as /assets=./public, got '"
                        + spec + "'");
            }
            String prefix = prefix("staticFiles", spec.substring(0, eq));
            String dir = spec.substring(eq + 1);
            if (dir.isEmpty()) {
                throw new ConfigException("staticFiles", "staticFiles needs a folder after '=', got '" + spec + "'");
            }
            Path real;
            try {
                real = Path.of(dir).toRealPath();
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("staticFiles", "staticFiles folder '" + dir + "' for " + prefix
                        + " does not exist or cannot be read");
            }
            if (!Files.isDirectory(real)) {
                throw new ConfigException("staticFiles", "staticFiles folder '" + dir + "' for " + prefix
                        + " is not a folder");
            }
            if (folders.put(prefix, real) != null) {
                throw new ConfigException("staticFiles", "staticFiles mounts " + prefix + " twice");
            }
        }
        Map<String, String> caching = new LinkedHashMap<>();
        for (String item : cacheControl) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("staticCacheControl", "staticCacheControl takes /prefix=VALUE, such as "
                        + "/assets=max-age=31536000,immutable, got '" + item + "'");
            }
            String prefix = prefix("staticCacheControl", item.substring(0, eq));
            String value = item.substring(eq + 1).strip();
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new ConfigException("staticCacheControl", "staticCacheControl for " + prefix
                        + " must be printable ASCII and not empty, got '" + item + "'");
            }
            if (!folders.containsKey(prefix)) {
                throw new ConfigException("staticCacheControl", "staticCacheControl names " + prefix
                        + ", which no staticFiles folder is mounted at");
            }
            if (caching.put(prefix, value) != null) {
                throw new ConfigException("staticCacheControl", "staticCacheControl sets " + prefix + " twice");
            }
        }
        List<StaticMount> out = new ArrayList<>();
        folders.forEach((p, d) -> out.add(new StaticMount(p, d, Optional.ofNullable(caching.get(p)))));
        out.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        return out;
    }

    // A prefix is compared with the request path as sent, segment by segment, so it must be one a request line can
    // carry and one that a path check would not refuse: no dot segments, no empty segments, no percent escapes.
    private static String prefix(String field, String p) {
        String bad = field + " prefix must be / or a path such as /assets: visible ASCII, no '?', '#', '%' or '\\', "
                + "no empty, '.' or '..' segments, got '" + p + "'";
        if (!p.startsWith("/") || p.length() > ServerConfig.MAX_HEALTH_PATH
                || p.contains("//")
                || p.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '%' || c == '\\')) {
            throw new ConfigException(field, bad);
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.length() > 1) {
            for (String segment : p.substring(1).split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw new ConfigException(field, bad);
                }
            }
        }
        return p;
    }
}
