package dev.pounce.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One folder of static files served by the server itself, before the app, on every protocol ({@code --static
 * /prefix=DIR}).
 *
 * @param prefix       the URL path the folder is mounted at: {@code /} or a path starting with {@code /} and not
 *                     ending with it, such as {@code /assets}; a request whose path is the prefix or starts with the
 *                     prefix and {@code /} is answered from the folder, never by the app
 * @param directory    the folder, as its real path (symbolic links resolved when the configuration was built), so
 *                     that a file's real path can be checked to lie inside it
 * @param cacheControl the {@code Cache-Control} field of the folder's responses ({@code --static-cache-control
 *                     /prefix=VALUE}), or empty for none
 */
public record StaticMount(String prefix, Path directory, Optional<String> cacheControl) {

    /** Checks that every part is present; the rules are {@link ServerConfig.Builder#build()}'s. */
    public StaticMount {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(cacheControl, "cacheControl");
    }

    /** @return the mount as {@code --static} takes it: {@code /prefix=DIR} */
    public String spec() {
        return prefix + "=" + directory;
    }
}
