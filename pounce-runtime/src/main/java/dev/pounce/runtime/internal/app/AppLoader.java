package dev.pounce.runtime.internal.app;

import dev.pounce.api.App;
import dev.pounce.runtime.internal.failure.AppLoadFailure;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Turns the {@code APP} argument into an {@link App}. Three forms:
 * <ul>
 *   <li>{@code com.example.HelloApp}: a class implementing {@code App} with a public no-argument constructor;</li>
 *   <li>{@code com.example.Apps::hello}: a public static field of type {@code App}, or a public static
 *       no-argument method returning one (a trailing {@code ()} is allowed);</li>
 *   <li>nothing: the one provider of {@code dev.pounce.api.App} found by {@link ServiceLoader}, from a module's
 *       {@code provides} or a class-path jar's {@code META-INF/services}.</li>
 * </ul>
 * Classes are loaded by name through the given class loader, which on the module path sees every module in the
 * boot layer; that is why the launcher resolves {@code ALL-MODULE-PATH}. Reflection is the point here: the class is
 * named by a person at run time. Every failure is an {@link AppLoadFailure} with a one-line message.
 */
public final class AppLoader {

    /**
     * An app and the name to show for it.
     *
     * @param app  the app
     * @param name what {@code pounce check} prints: the APP argument, or the provider and where it came from
     */
    public record LoadedApp(App app, String name) {
    }

    private static final String APP = App.class.getName();

    private final ClassLoader loader;

    /** @param loader the loader that finds app classes by name */
    public AppLoader(ClassLoader loader) {
        this.loader = loader;
    }

    /** @return a loader over the thread's context class loader, or the system class loader if there is none */
    public static AppLoader forCurrentThread() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return new AppLoader(context != null ? context : ClassLoader.getSystemClassLoader());
    }

    /**
     * @param spec the APP argument, or empty for the one {@link ServiceLoader} provider
     * @return the app
     * @throws AppLoadFailure with a one-line reason
     */
    public LoadedApp load(Optional<String> spec) throws AppLoadFailure {
        if (spec.isPresent()) {
            return fromSpec(spec.get());
        }
        try {
            return fromProviders(ServiceLoader.load(App.class, loader).stream().toList());
        } catch (ServiceConfigurationError e) {
            throw new AppLoadFailure("cannot list the providers of " + APP + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * @param spec {@code some.Class} or {@code some.Class::member}
     * @return the app
     * @throws AppLoadFailure with a one-line reason
     */
    public LoadedApp fromSpec(String spec) throws AppLoadFailure {
        String s = spec.strip();
        int sep = s.indexOf("::");
        String className = sep < 0 ? s : s.substring(0, sep);
        String member = sep < 0 ? null : s.substring(sep + 2).strip();
        if (member != null && member.endsWith("()")) {
            member = member.substring(0, member.length() - 2);
        }
        if (className.isBlank() || member != null && member.isBlank()) {
            throw new AppLoadFailure("APP '" + spec + "' must be a class name (com.example.HelloApp) or "
                    + "Class::member (com.example.Apps::hello)");
        }
        Class<?> type = findClass(className.strip());
        App app = member == null ? construct(type) : fromMember(type, member);
        return new LoadedApp(app, s);
    }

    /**
     * Picks the one provider, or explains why there is not exactly one.
     *
     * @param providers what {@link ServiceLoader#stream()} found
     * @return the app made by the one provider
     * @throws AppLoadFailure when there is none, several, or it fails
     */
    public static LoadedApp fromProviders(List<ServiceLoader.Provider<App>> providers) throws AppLoadFailure {
        // The same provider can be seen twice (a jar on both paths); one class is one app.
        Map<String, ServiceLoader.Provider<App>> byClass = new LinkedHashMap<>();
        for (var p : providers) {
            byClass.putIfAbsent(p.type().getName(), p);
        }
        if (byClass.isEmpty()) {
            throw new AppLoadFailure("no APP given and no module on the module path provides " + APP
                    + " (name the app, as in: pounce com.example.HelloApp)");
        }
        if (byClass.size() > 1) {
            throw new AppLoadFailure("no APP given and " + byClass.size() + " providers of " + APP + " were found: "
                    + byClass.values().stream().map(p -> describe(p.type())).collect(Collectors.joining(", "))
                    + "; name the one to serve as APP");
        }
        var provider = byClass.values().iterator().next();
        try {
            return new LoadedApp(provider.get(), describe(provider.type()));
        } catch (ServiceConfigurationError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new AppLoadFailure("the app " + describe(provider.type()) + " failed to start: " + summary(cause), e);
        }
    }

    private Class<?> findClass(String name) throws AppLoadFailure {
        // People write nested classes with dots (com.example.Apps.Hello); the binary name has '$'.
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate, true, loader);
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new AppLoadFailure("app class '" + name + "' not found on the module path or class path");
                }
                candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
            } catch (ExceptionInInitializerError e) {
                throw new AppLoadFailure("app class '" + name + "' failed to initialise: " + summary(e.getCause()), e);
            } catch (LinkageError e) {
                throw new AppLoadFailure("app class '" + name + "' cannot be loaded: " + summary(e), e);
            }
        }
    }

    private static App construct(Class<?> type) throws AppLoadFailure {
        String name = type.getName();
        if (!App.class.isAssignableFrom(type)) {
            throw new AppLoadFailure("'" + name + "' is not a " + APP + ": it does not implement the interface"
                    + " (to name a field or factory method, write '" + name + "::member')");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new AppLoadFailure("app class '" + name + "' is abstract; name a concrete class, or a factory as '"
                    + name + "::member'");
        }
        try {
            return (App) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new AppLoadFailure("app class '" + name + "' has no public no-argument constructor; add one, or "
                    + "name a static field or factory method as '" + name + "::member'");
        } catch (IllegalAccessException e) {
            throw new AppLoadFailure(notAccessible(type), e);
        } catch (InvocationTargetException e) {
            throw new AppLoadFailure("app class '" + name + "' failed in its constructor: " + summary(e.getCause()), e);
        } catch (ReflectiveOperationException e) {
            throw new AppLoadFailure("app class '" + name + "' cannot be created: " + summary(e), e);
        }
    }

    private static App fromMember(Class<?> type, String member) throws AppLoadFailure {
        String where = type.getName() + "::" + member;
        Member found = publicField(type, member).<Member>map(f -> f).or(() -> publicMethod(type, member))
                .orElseThrow(() -> new AppLoadFailure("'" + type.getName() + "' has no public static field or "
                        + "no-argument method named '" + member + "'"));
        if (!Modifier.isStatic(found.getModifiers())) {
            throw new AppLoadFailure("'" + where + "' is not static; make it static, or name a class with a public "
                    + "no-argument constructor");
        }
        Class<?> declared = found instanceof Field f ? f.getType() : ((Method) found).getReturnType();
        if (!App.class.isAssignableFrom(declared) && !declared.isAssignableFrom(App.class)) {
            throw new AppLoadFailure("'" + where + "' is a " + declared.getName() + ", not a " + APP);
        }
        Object value;
        try {
            value = found instanceof Field f ? f.get(null) : ((Method) found).invoke(null);
        } catch (IllegalAccessException e) {
            throw new AppLoadFailure(notAccessible(type), e);
        } catch (InvocationTargetException e) {
            throw new AppLoadFailure("'" + where + "()' failed: " + summary(e.getCause()), e);
        }
        return switch (value) {
            case App app -> app;
            case null -> throw new AppLoadFailure("'" + where + "' is null, not an app");
            default -> throw new AppLoadFailure("'" + where + "' gave a " + value.getClass().getName()
                    + ", not a " + APP);
        };
    }

    private static Optional<Field> publicField(Class<?> type, String name) {
        try {
            return Optional.of(type.getField(name));
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        }
    }

    private static Optional<Member> publicMethod(Class<?> type, String name) {
        try {
            return Optional.of(type.getMethod(name));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static String notAccessible(Class<?> type) {
        Module module = type.getModule();
        String pkg = type.getPackageName();
        if (module.isNamed() && !module.isExported(pkg, AppLoader.class.getModule())) {
            return "app class '" + type.getName() + "' is in package " + pkg + ", which module " + module.getName()
                    + " does not export; add 'exports " + pkg + ";' to its module-info, or declare 'provides " + APP
                    + " with " + type.getName() + ";' and leave APP out";
        }
        return "app class '" + type.getName() + "' is not public, so pounce cannot create it";
    }

    private static String describe(Class<?> type) {
        Module m = type.getModule();
        return type.getName() + (m.isNamed() ? " (module " + m.getName() + ")" : " (class path)");
    }

    /** @return the throwable's class and message on one line, for a person */
    public static String summary(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        return t.getClass().getName() + (message == null || message.isBlank() ? "" : ": " + oneLine(message));
    }

    /** @return the text on one line, runs of white space around line breaks made one space */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
