package dev.pounce.runtime.internal.app;

import dev.pounce.api.App;
import dev.pounce.runtime.internal.failure.AppLoadFailure;

import java.lang.module.Configuration;
import java.lang.LayerInstantiationException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Loads the app again from its jar or classes folder, in a class loader of its own, so that a rolling reload serves
 * the code now on disk. The app's module (or, on the class path, its code source) is found from the copy the
 * server started with, never from an earlier reload, so every reload starts from the same place:
 * <ul>
 *   <li>a named module is resolved again from its {@code ModuleReference.location()} into a new {@link ModuleLayer}
 *       over the boot layer, which reads the same {@code dev.pounce.api};</li>
 *   <li>a class-path app is loaded by a child-first {@link URLClassLoader} over its code source.</li>
 * </ul>
 * Only the app's own module or folder is reloaded; its libraries are shared with the boot layer.
 */
public final class FreshAppLoader {

    private FreshAppLoader() {
    }

    /**
     * @param spec the APP spec, or empty for the one provider
     * @return the app, loaded by a new class loader
     * @throws AppLoadFailure with a one-line reason
     */
    public static AppLoader.LoadedApp load(Optional<String> spec) throws AppLoadFailure {
        ClassLoader current = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(ClassLoader.getSystemClassLoader());
        Class<?> type = spec.isPresent() ? locate(spec.get(), current) : providerType(current);
        Module module = type.getModule();
        ClassLoader fresh;
        Optional<ModuleLayer> layer = Optional.empty();
        if (module.isNamed() && module.getLayer() != null) {
            ModuleLayer l = newLayer(module);
            layer = Optional.of(l);
            fresh = l.findLoader(module.getName());
        } else {
            fresh = new ChildFirstLoader(codeSource(type), current);
        }
        var loader = new AppLoader(fresh);
        if (spec.isPresent()) {
            return loader.fromSpec(spec.get());
        }
        try {
            var providers = (layer.isPresent() ? ServiceLoader.load(layer.get(), App.class)
                    : ServiceLoader.load(App.class, fresh)).stream()
                    .filter(p -> p.type().getClassLoader() == fresh).toList();
            return AppLoader.fromProviders(providers);
        } catch (ServiceConfigurationError e) {
            throw new AppLoadFailure("cannot list the providers of App: " + AppLoader.oneLine(e.getMessage()), e);
        }
    }

    /**
     * @param spec the APP spec, or empty for the one provider
     * @return the app's jar or classes folder, for the {@code --reload} watcher
     */
    public static Optional<Path> location(Optional<String> spec) {
        ClassLoader current = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(ClassLoader.getSystemClassLoader());
        try {
            Class<?> type = spec.isPresent() ? locate(spec.get(), current) : providerType(current);
            Module m = type.getModule();
            if (m.isNamed() && m.getLayer() != null) {
                return m.getLayer().configuration().findModule(m.getName())
                        .flatMap(r -> r.reference().location()).map(Path::of);
            }
            return Optional.of(Path.of(codeSource(type).toURI()));
        } catch (AppLoadFailure | URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Class<?> locate(String spec, ClassLoader loader) throws AppLoadFailure {
        int sep = spec.indexOf("::");
        String name = (sep < 0 ? spec : spec.substring(0, sep)).strip();
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate, false, loader);
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new AppLoadFailure("app class '" + name + "' not found on the module path or class path");
                }
                candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
            } catch (LinkageError e) {
                throw new AppLoadFailure("app class '" + name + "' cannot be loaded: " + AppLoader.summary(e), e);
            }
        }
    }

    private static Class<?> providerType(ClassLoader loader) throws AppLoadFailure {
        try {
            List<Class<? extends App>> types = ServiceLoader.load(App.class, loader).stream()
                    .map(ServiceLoader.Provider::type).distinct().toList();
            if (types.size() != 1) {
                throw new AppLoadFailure("no APP given and " + types.size() + " providers of App were found");
            }
            return types.getFirst();
        } catch (ServiceConfigurationError e) {
            throw new AppLoadFailure("cannot list the providers of App: " + AppLoader.oneLine(e.getMessage()), e);
        }
    }

    private static ModuleLayer newLayer(Module module) throws AppLoadFailure {
        String name = module.getName();
        ModuleLayer parent = module.getLayer();
        var location = parent.configuration().findModule(name).flatMap(r -> r.reference().location())
                .orElseThrow(() -> new AppLoadFailure("module " + name + " has no location to reload it from"));
        try {
            Path path = Path.of(location);
            Configuration cf = parent.configuration().resolve(ModuleFinder.of(path), ModuleFinder.of(), Set.of(name));
            return parent.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new AppLoadFailure("module " + name + " cannot be loaded again from " + location + ": "
                    + AppLoader.summary(e), e);
        } catch (IllegalArgumentException e) {
            throw new AppLoadFailure("module " + name + " is at " + location + ", which is not a file", e);
        }
    }

    private static URL codeSource(Class<?> type) throws AppLoadFailure {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new AppLoadFailure("app class " + type.getName() + " has no code source to reload it from");
        }
        try {
            Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new AppLoadFailure("app class " + type.getName() + " comes from " + source.getLocation()
                    + ", which is not a file or folder", e);
        }
        return source.getLocation();
    }


    /**
     * Looks in the app's own jar or folder first, so its classes are loaded anew; Pounce's API, the JDK and logging
     * always come from the parent, so the new app is still a {@code dev.pounce.api.App} of the running server.
     */
    static final class ChildFirstLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "dev.pounce.api.",
                "dev.pounce.spi.", "dev.pounce.runtime.", "org.slf4j.", "io.netty.");

        ChildFirstLoader(URL location, ClassLoader parent) {
            super("pounce-reload", new URL[]{location}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (SHARED.stream().anyMatch(name::startsWith)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
