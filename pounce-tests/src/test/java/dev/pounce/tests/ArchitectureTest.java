package dev.pounce.tests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rules of DESIGN.md section 1, checked over the built jars (what ships, not what an IDE compiles): plugins read
 * only the API, the runtime names no plugin, the application package uses no Netty type, no package cycles; and
 * the module descriptors that {@code module-info.java} enforces first. Each import is checked for a sensible class
 * count, so a rule cannot pass by looking at nothing.
 */
class ArchitectureTest {

    static final List<String> PLUGINS = List.of("h1", "h2", "h3", "ws");
    static final List<String> OUR_ARTIFACTS = List.of("pounce-api", "pounce-runtime", "pounce-h1", "pounce-h2",
            "pounce-h3", "pounce-ws", "pounce-cli", "pounce-demo");

    static JavaClasses product;

    @BeforeAll
    static void importJars() throws IOException {
        List<JarFile> jars = new ArrayList<>();
        for (Path p : ourJars()) {
            jars.add(new JarFile(p.toFile()));
        }
        try {
            product = new ClassFileImporter().importJars(jars);
        } finally {
            for (JarFile j : jars) {
                j.close();
            }
        }
    }

    static List<Path> ourJars() throws IOException {
        return ChildJvm.productJars().stream()
                .filter(p -> OUR_ARTIFACTS.stream().anyMatch(a -> p.getFileName().toString().startsWith(a + "-")))
                .toList();
    }

    static long countIn(String packagePrefix) {
        return product.stream().filter(c -> c.getPackageName().equals(packagePrefix)
                || c.getPackageName().startsWith(packagePrefix + ".")).count();
    }

    @Test
    void importSawEveryJarAndASensibleNumberOfClasses() throws IOException {
        assertEquals(OUR_ARTIFACTS.size(), ourJars().size(), "jars found: " + ourJars());
        assertTrue(product.size() > 50, "only " + product.size() + " classes imported");
        for (String pkg : List.of("dev.pounce.api", "dev.pounce.spi", "dev.pounce.runtime", "dev.pounce.h1",
                "dev.pounce.cli")) {
            assertTrue(countIn(pkg) > 0, "no classes imported from " + pkg);
        }
        assertTrue(countIn("dev.pounce.runtime.internal") > 10, "the runtime's internals were not imported");
    }

    @ParameterizedTest(name = "dev.pounce.{0}")
    @ValueSource(strings = {"h1", "h2", "h3", "ws"})
    void pluginReadsOnlyTheApi(String plugin) {
        String pkg = "dev.pounce." + plugin;
        assumeTrue(countIn(pkg) > 0, "pounce-" + plugin + " has no classes yet: nothing to check");
        String[] forbidden = Stream.concat(
                Stream.of("dev.pounce.runtime..", "dev.pounce.cli..", "dev.pounce.demo.."),
                PLUGINS.stream().filter(p -> !p.equals(plugin)).map(p -> "dev.pounce." + p + ".."))
                .toArray(String[]::new);
        noClasses().that().resideInAPackage(pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("a plugin reads only dev.pounce.api, so a third-party plugin has exactly its powers")
                .check(product);
    }

    @Test
    void atLeastOnePluginHasClasses() {
        assertTrue(PLUGINS.stream().anyMatch(p -> countIn("dev.pounce." + p) > 0), "no plugin classes imported");
    }

    @Test
    void runtimeNamesNoPluginClass() {
        assertTrue(countIn("dev.pounce.runtime") > 10);
        noClasses().that().resideInAPackage("dev.pounce.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pounce.h1..", "dev.pounce.h2..",
                        "dev.pounce.h3..", "dev.pounce.ws..", "dev.pounce.cli..", "dev.pounce.demo..")
                .because("the runtime finds plugins with ServiceLoader")
                .check(product);
    }

    /**
     * Issue 8: the runtime knows no protocol by its id. Every string constant in the runtime's class files is read
     * (the JDK's class-file API over the shipped jar), so a {@code "h2"} in a switch, a comparison or a map fails
     * here, wherever it hides.
     */
    @Test
    void runtimeNamesNoProtocolId() throws IOException {
        Set<String> ids = Set.of("http/1.1", "h2", "h2c", "h3", "websocket", "http2", "http3", "--no-http2",
                "--http3");
        Set<String> found = new TreeSet<>();
        int classes = 0;
        try (var jar = new JarFile(ChildJvm.productJar("pounce-runtime").toFile())) {
            for (var entry : java.util.Collections.list(jar.entries())) {
                if (!entry.getName().endsWith(".class") || entry.getName().equals("module-info.class")) {
                    continue;
                }
                classes++;
                byte[] bytes = jar.getInputStream(entry).readAllBytes();
                var model = java.lang.classfile.ClassFile.of().parse(bytes);
                for (var e : model.constantPool()) {
                    if (e instanceof java.lang.classfile.constantpool.StringEntry text
                            && ids.contains(text.stringValue().toLowerCase(java.util.Locale.ROOT))) {
                        found.add(entry.getName() + ": \"" + text.stringValue() + "\"");
                    }
                }
            }
        }
        assertTrue(classes > 50, "only " + classes + " runtime classes read");
        assertTrue(found.isEmpty(), "the runtime names protocol ids: " + found);
    }

    /** Issue 8: a plugin's settings reach the runtime as sections it holds without knowing their types. */
    @Test
    void runtimeNamesNoPluginConfigType() {
        noClasses().that().resideInAPackage("dev.pounce.runtime..")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                        .simpleNameEndingWith("Config")
                        .and(com.tngtech.archunit.base.DescribedPredicate.not(com.tngtech.archunit.core.domain
                                .JavaClass.Predicates.resideInAnyPackage("dev.pounce.api", "io.netty.."))))
                .because("plugin settings are ConfigSections the runtime holds without knowing their types")
                .check(product);
    }

    @Test
    void applicationApiUsesNoNettyType() {
        assertTrue(countIn("dev.pounce.api") > 10);
        noClasses().that().resideInAPackage("dev.pounce.api")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("an application depends on dev.pounce.api alone; only dev.pounce.spi exposes Netty")
                .check(product);
    }

    @Test
    void applicationApiDoesNotReachIntoTheSpi() {
        noClasses().that().resideInAPackage("dev.pounce.api")
                .should().dependOnClassesThat().resideInAPackage("dev.pounce.spi..")
                .check(product);
    }

    @Test
    void theDemoAppReadsOnlyTheApplicationApi() {
        assumeTrue(countIn("dev.pounce.demo") > 0, "the demo has no classes yet");
        noClasses().that().resideInAPackage("dev.pounce.demo..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pounce.spi..", "dev.pounce.runtime..",
                        "dev.pounce.h1..", "io.netty..")
                .check(product);
    }

    /** DESIGN.md: no cycles between packages. Every package is its own slice here. */
    @Test
    void noPackageCycles() {
        slices().matching("dev.pounce.(**)").should().beFreeOfCycles().check(product);
    }

    /** The coarser rule, one slice per module's top package: holds even where a module has an inner cycle. */
    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("dev.pounce.(*)..").should().beFreeOfCycles().check(product);
    }

    // ---- the module descriptors ----

    static ModuleDescriptor descriptor(String artifactId) throws IOException {
        Path jar = ChildJvm.productJar(artifactId);
        return ModuleFinder.of(jar).findAll().iterator().next().descriptor();
    }

    @Test
    void runtimeExportsOnlyItsEntryPackage() throws IOException {
        var d = descriptor("pounce-runtime");
        assertEquals(Set.of("dev.pounce.runtime"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), d.exports().toString());
        assertTrue(d.opens().isEmpty(), "the runtime opens " + d.opens());
        assertTrue(d.uses().containsAll(Set.of("dev.pounce.spi.ProtocolHandler", "dev.pounce.spi.WorkerStrategy")),
                "the runtime must use the SPIs: " + d.uses());
    }

    @ParameterizedTest(name = "pounce-{0}")
    @ValueSource(strings = {"h1", "h2", "h3", "ws"})
    void pluginModuleRequiresOnlyTheApiAmongOurs(String plugin) throws IOException {
        var d = descriptor("pounce-" + plugin);
        Set<String> ours = d.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> n.startsWith("dev.pounce.")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("dev.pounce.api"), ours, "dev.pounce." + plugin + " requires " + ours);
    }

    @Test
    void runtimeModuleRequiresNoPlugin() throws IOException {
        var d = descriptor("pounce-runtime");
        Set<String> ours = d.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> n.startsWith("dev.pounce.")).collect(Collectors.toSet());
        assertEquals(Set.of("dev.pounce.api"), ours);
    }

    @Test
    void h1ProvidesAProtocolHandler() throws IOException {
        var d = descriptor("pounce-h1");
        assertTrue(d.provides().stream().anyMatch(p -> p.service().equals("dev.pounce.spi.ProtocolHandler")),
                "dev.pounce.h1 provides " + d.provides());
    }

    /** DESIGN.md: each package says what it is in one package-info.java sentence. Checked on the sources. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pounce-api", "pounce-runtime", "pounce-h1", "pounce-cli"})
    void everyPackageHasAPackageInfo(String module) throws IOException {
        Path src = Path.of("..", module, "src", "main", "java");
        assumeTrue(Files.isDirectory(src), "no sources at " + src.toAbsolutePath());
        Set<Path> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                    .map(Path::getParent)
                    .distinct()
                    .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                    .forEach(dir -> missing.add(src.relativize(dir)));
        }
        assertTrue(missing.isEmpty(), module + " has packages without package-info.java: " + missing);
    }
}
