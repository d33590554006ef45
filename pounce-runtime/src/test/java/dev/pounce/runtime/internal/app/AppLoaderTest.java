package dev.pounce.runtime.internal.app;

import dev.pounce.api.App;
import dev.pounce.runtime.internal.failure.AppLoadFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppLoaderTest {

    private static final String APPS = TestApps.class.getName();
    private final AppLoader loader = new AppLoader(AppLoaderTest.class.getClassLoader());

    @Test
    void loadsAClassByItsBinaryName() throws Exception {
        var loaded = loader.fromSpec(APPS + "$Hello");
        assertInstanceOf(TestApps.Hello.class, loaded.app());
        assertEquals(APPS + "$Hello", loaded.name());
    }

    @Test
    void loadsANestedClassWrittenWithDots() throws Exception {
        assertInstanceOf(TestApps.Hello.class, loader.fromSpec(APPS + ".Hello").app());
    }

    @Test
    void loadsAStaticField() throws Exception {
        assertSame(TestApps.Holder.FIELD, loader.fromSpec(APPS + "$Holder::FIELD").app());
    }

    @Test
    void loadsAStaticFieldDeclaredAsObject() throws Exception {
        assertSame(TestApps.Holder.OBJECT_APP, loader.fromSpec(APPS + "$Holder::OBJECT_APP").app());
    }

    @ParameterizedTest
    @CsvSource(quoteCharacter = '"', value = {"factory", "factory()", "\" factory \""})
    void loadsAStaticFactoryMethod(String member) throws Exception {
        assertInstanceOf(TestApps.Hello.class, loader.fromSpec(APPS + "$Holder::" + member).app());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "x.Y | app class 'x.Y' not found on the module path or class path",
            "NoSuchClass | app class 'NoSuchClass' not found on the module path or class path",
            "$NotAnApp | '$NotAnApp' is not a dev.pounce.api.App: it does not implement the interface (to name a field or factory method, write '$NotAnApp::member')",
            "$NeedsArgument | app class '$NeedsArgument' has no public no-argument constructor; add one, or name a static field or factory method as '$NeedsArgument::member'",
            "$Abstract | app class '$Abstract' is abstract; name a concrete class, or a factory as '$Abstract::member'",
            "$FailingConstructor | app class '$FailingConstructor' failed in its constructor: java.lang.IllegalStateException: config file missing",
            "$Holder::missing | '$Holder' has no public static field or no-argument method named 'missing'",
            "$Holder::NOTHING | '$Holder::NOTHING' is null, not an app",
            "$Holder::NOT_AN_APP | '$Holder::NOT_AN_APP' is a java.lang.String, not a dev.pounce.api.App",
            "$Holder::text | '$Holder::text' is a java.lang.String, not a dev.pounce.api.App",
            "$Holder::instanceField | '$Holder::instanceField' is not static; make it static, or name a class with a public no-argument constructor",
            "$Holder::instanceFactory | '$Holder::instanceFactory' is not static; make it static, or name a class with a public no-argument constructor",
            "$Holder::failingFactory | '$Holder::failingFactory()' failed: java.lang.IllegalStateException: no database",
            "$Holder:: | APP '$Holder::' must be a class name (com.example.HelloApp) or Class::member (com.example.Apps::hello)",
            "::x | APP '::x' must be a class name (com.example.HelloApp) or Class::member (com.example.Apps::hello)"})
    void explainsEachFailureInOneLine(String spec, String message) {
        String s = spec.startsWith("$") ? APPS + spec : spec;
        var e = assertThrows(AppLoadFailure.class, () -> loader.fromSpec(s));
        assertEquals(message.replace("$", APPS + "$"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
    }

    @Test
    void servesTheOneProvider() throws Exception {
        var loaded = AppLoader.fromProviders(List.of(provider(TestApps.Hello.class)));
        assertInstanceOf(TestApps.Hello.class, loaded.app());
        assertEquals(APPS + "$Hello (class path)", loaded.name());
    }

    @Test
    void countsAProviderSeenTwiceOnce() throws Exception {
        var loaded = AppLoader.fromProviders(List.of(provider(TestApps.Hello.class), provider(TestApps.Hello.class)));
        assertInstanceOf(TestApps.Hello.class, loaded.app());
    }

    @Test
    void saysWhenNoModuleProvidesAnApp() {
        var e = assertThrows(AppLoadFailure.class, () -> AppLoader.fromProviders(List.of()));
        assertTrue(e.getMessage().startsWith(
                "no APP given and no module on the module path provides dev.pounce.api.App"), e.getMessage());
    }

    @Test
    void namesEveryProviderWhenThereAreSeveral() {
        var e = assertThrows(AppLoadFailure.class, () -> AppLoader.fromProviders(
                List.of(provider(TestApps.Hello.class), provider(TestApps.Other.class))));
        assertEquals("no APP given and 2 providers of dev.pounce.api.App were found: " + APPS + "$Hello (class path), "
                + APPS + "$Other (class path); name the one to serve as APP", e.getMessage());
    }

    @Test
    void theTestClassPathHasNoProvider() {
        // So that `pounce` without APP in MainTest meets the no-provider case.
        var e = assertThrows(AppLoadFailure.class, () -> loader.load(Optional.empty()));
        assertTrue(e.getMessage().startsWith("no APP given"), e.getMessage());
    }

    private static ServiceLoader.Provider<App> provider(Class<? extends App> type) {
        return new ServiceLoader.Provider<>() {
            @Override
            public Class<? extends App> type() {
                return type;
            }

            @Override
            public App get() {
                try {
                    return type.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        };
    }
}
