package dev.pounce.runtime;

import dev.pounce.api.App;
import dev.pounce.runtime.internal.app.AppLoader;
import dev.pounce.runtime.internal.failure.AppLoadFailure;

import java.util.Objects;
import java.util.Optional;

/**
 * How to find the app, kept as text so that it can be loaded again: by a {@code process} worker in its own JVM, and
 * by a rolling reload in a fresh class loader so that changed code is picked up. Three forms:
 * <ul>
 *   <li>{@code com.example.HelloApp}: a class implementing {@link App} with a public no-argument constructor;</li>
 *   <li>{@code com.example.Apps::hello}: a public static field of type {@code App}, or a public static
 *       no-argument method returning one (a trailing {@code ()} is allowed);</li>
 *   <li>{@link #provider()}: the one provider of {@code dev.pounce.api.App} found by {@link java.util.ServiceLoader}.
 *   </li>
 * </ul>
 * <pre>{@code
 * Server.builder(AppReference.parse("com.example.Apps::hello"), config).run();
 * }</pre>
 */
public final class AppReference {

    /**
     * An app and the name to show for it.
     *
     * @param app  the app
     * @param name the spec, or the provider class and where it came from
     */
    public record Loaded(App app, String name) {
    }

    private final String spec;

    private AppReference(String spec) {
        this.spec = spec;
    }

    /**
     * @param spec {@code some.Class} or {@code some.Class::member}
     * @return the reference
     * @throws AppLoadException if the text has neither form
     */
    public static AppReference parse(String spec) throws AppLoadException {
        String s = Objects.requireNonNull(spec, "spec").strip();
        int sep = s.indexOf("::");
        String className = sep < 0 ? s : s.substring(0, sep);
        String member = sep < 0 ? "x" : s.substring(sep + 2).strip();
        if (className.isBlank() || member.isBlank() || member.equals("()")) {
            throw new AppLoadException("APP '" + spec + "' must be a class name (com.example.HelloApp) or "
                    + "Class::member (com.example.Apps::hello)");
        }
        return new AppReference(s);
    }

    /** @return the one provider of {@code dev.pounce.api.App} on the module path or class path */
    public static AppReference provider() {
        return new AppReference("");
    }

    /**
     * @param spec the APP argument, or empty for the one provider
     * @return the reference
     * @throws AppLoadException if the text has neither form
     */
    public static AppReference of(Optional<String> spec) throws AppLoadException {
        return spec.isPresent() ? parse(spec.get()) : provider();
    }

    /** @return the spec, empty for the one provider */
    public Optional<String> spec() {
        return spec.isEmpty() ? Optional.empty() : Optional.of(spec);
    }

    /**
     * Loads the app through the thread's context class loader (or the system class loader).
     *
     * @return the app and its name
     * @throws AppLoadException with a one-line reason
     */
    public Loaded load() throws AppLoadException {
        try {
            var loaded = AppLoader.forCurrentThread().load(spec());
            return new Loaded(loaded.app(), loaded.name());
        } catch (AppLoadFailure e) {
            throw new AppLoadException(e.getMessage(), e.getCause());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppReference r && r.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    /** @return the spec, or {@code <App provider>} */
    @Override
    public String toString() {
        return spec.isEmpty() ? "<App provider>" : spec;
    }
}
