package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.StaticMount;

import java.util.List;
import java.util.Optional;

/**
 * The folders of {@code --static}, matched against each request before the app runs, on every protocol, as the
 * health path is. A request whose path is a prefix, or starts with a prefix and {@code /}, belongs to that folder
 * (the longest prefix wins) and the server answers it: the file ({@link StaticResponse}), a {@code 404}, or for a
 * method other than {@code GET} and {@code HEAD} a {@code 405} with {@code Allow: GET, HEAD}. It never falls through
 * to the app, so what a prefix serves depends on the folder alone; mount the app's routes elsewhere.
 */
final class StaticFiles {

    /**
     * A request that belongs to a folder.
     *
     * @param mount the folder
     * @param rest  the raw path below the prefix: empty, or starting with {@code /}
     */
    record Match(StaticMount mount, String rest) {
    }

    private final List<StaticMount> mounts;

    private StaticFiles(List<StaticMount> mounts) {
        this.mounts = mounts;
    }

    /**
     * @param config the configuration
     * @return the folders, or empty when {@code --static} is not given
     */
    static Optional<StaticFiles> of(ServerConfig config) {
        return config.staticFiles().isEmpty() ? Optional.empty() : Optional.of(new StaticFiles(config.staticFiles()));
    }

    /**
     * @param target the request target as sent
     * @return the folder it belongs to and the rest of its path, if any
     */
    Optional<Match> match(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        // The mounts are sorted longest prefix first, so the first match is the most specific one.
        for (StaticMount mount : mounts) {
            String prefix = mount.prefix();
            if (prefix.equals("/")) {
                return Optional.of(new Match(mount, path));
            }
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return Optional.of(new Match(mount, path.substring(prefix.length())));
            }
        }
        return Optional.empty();
    }
}
