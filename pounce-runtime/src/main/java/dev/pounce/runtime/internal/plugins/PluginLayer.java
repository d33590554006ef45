package dev.pounce.runtime.internal.plugins;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The plugin folders ({@code plugins/} beside the image, {@code --plugin-path DIR}) as a child {@link ModuleLayer}
 * of the boot layer, made once per JVM.
 *
 * <p>Why a layer and not {@code -p plugins}: a jar on the JVM's module path whose {@code requires} cannot be met
 * makes the JVM fail before {@code main} runs ("Module X not found, required by Y"), so one bad jar would stop the
 * server with no word from Pounce. Here each module is resolved on its own first: one that cannot be (a missing
 * dependency, a duplicate, a malformed jar) is reported by name and left out, and the rest are resolved together,
 * against the boot layer, into one layer. A jar that holds a module already in the boot layer is left out too.
 *
 * @param layer   the layer of the good plugins, empty when there are none
 * @param modules the plugin modules in it, by name
 * @param broken  one line per plugin jar or module left out, naming it and why
 */
public record PluginLayer(Optional<ModuleLayer> layer, List<String> modules, List<String> broken) {

    /** The system property the launcher sets and {@code --plugin-path} adds to: folders, path-separated. */
    public static final String PROPERTY = "pounce.plugin.path";

    private static final PluginLayer NONE = new PluginLayer(Optional.empty(), List.of(), List.of());
    private static final Map<List<Path>, PluginLayer> MADE = new ConcurrentHashMap<>();

    /** @return the layer for the folders named by {@link #PROPERTY}, made on first use; empty without it */
    public static PluginLayer configured() {
        return of(folders(System.getProperty(PROPERTY, "")));
    }

    /**
     * @param value a {@link #PROPERTY} value
     * @return its folders, normalised, without blanks and repeats
     */
    static List<Path> folders(String value) {
        Set<Path> out = new LinkedHashSet<>();
        for (String part : value.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                out.add(Path.of(part.strip()).toAbsolutePath().normalize());
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param folders plugin folders; a missing folder is no error (the image ships {@code plugins/} empty)
     * @return the layer, made once per list of folders in this JVM, since the same jar loaded twice would be two
     *         sets of classes
     */
    public static PluginLayer of(List<Path> folders) {
        if (folders.isEmpty()) {
            return NONE;
        }
        return MADE.computeIfAbsent(List.copyOf(folders), PluginLayer::make);
    }

    private static PluginLayer make(List<Path> folders) {
        List<String> broken = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        for (Path folder : folders) {
            jars.addAll(jarsIn(folder, broken));
        }
        ModuleLayer boot = ModuleLayer.boot();
        // One finder per jar, so that a malformed jar is blamed alone; then one finder over the good ones.
        List<Path> readable = new ArrayList<>();
        for (Path jar : jars) {
            try {
                Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
                for (ModuleReference ref : found) {
                    String name = ref.descriptor().name();
                    if (boot.findModule(name).isPresent()) {
                        broken.add(jar.getFileName() + ": module " + name + " is already part of Pounce; left out");
                    } else {
                        readable.add(jar);
                    }
                }
            } catch (FindException e) {
                broken.add(jar.getFileName() + ": not a usable module jar: " + oneLine(e));
            }
        }
        ModuleFinder finder;
        try {
            finder = ModuleFinder.of(readable.toArray(Path[]::new));
            finder.findAll();
        } catch (FindException e) {
            // Two jars with the same module: name it and load neither.
            broken.add("plugin folders: " + oneLine(e));
            return new PluginLayer(Optional.empty(), List.of(), List.copyOf(broken));
        }
        List<String> names = finder.findAll().stream().map(r -> r.descriptor().name()).sorted().toList();
        // Each module alone first (with what it requires from the folders), so a bad one is named and left out.
        List<String> alone = new ArrayList<>();
        for (String name : names) {
            try {
                boot.configuration().resolve(finder, ModuleFinder.of(), List.of(name));
                alone.add(name);
            } catch (FindException | ResolutionException e) {
                broken.add(jarOf(finder, name) + " (module " + name + "): " + oneLine(e));
            }
        }
        // Then together; two that clash (a package in both) are added one by one, and the later one left out.
        List<String> good = new ArrayList<>();
        if (resolves(boot, finder, alone)) {
            good.addAll(alone);
        } else {
            for (String name : alone) {
                List<String> candidate = new ArrayList<>(good);
                candidate.add(name);
                if (resolves(boot, finder, candidate)) {
                    good.add(name);
                } else {
                    broken.add(jarOf(finder, name) + " (module " + name + "): clashes with another plugin");
                }
            }
        }
        if (good.isEmpty()) {
            return new PluginLayer(Optional.empty(), List.of(), List.copyOf(broken));
        }
        try {
            Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), good);
            ModuleLayer layer = boot.defineModulesWithManyLoaders(cf, ClassLoader.getSystemClassLoader());
            return new PluginLayer(Optional.of(layer), List.copyOf(good), List.copyOf(broken));
        } catch (RuntimeException e) {
            broken.add("plugin folders " + folders + ": cannot define the plugin layer: " + oneLine(e));
            return new PluginLayer(Optional.empty(), List.of(), List.copyOf(broken));
        }
    }

    private static boolean resolves(ModuleLayer boot, ModuleFinder finder, List<String> roots) {
        try {
            boot.configuration().resolve(finder, ModuleFinder.of(), roots);
            return true;
        } catch (FindException | ResolutionException e) {
            return false;
        }
    }

    private static List<Path> jarsIn(Path folder, List<String> broken) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") || Files.isDirectory(f))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            broken.add(folder + ": cannot list the plugin folder: " + e.getMessage());
            return List.of();
        }
    }

    private static String jarOf(ModuleFinder finder, String module) {
        return finder.find(module).flatMap(ModuleReference::location)
                .map(uri -> Path.of(uri).getFileName().toString()).orElse(module);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.replaceAll("\\s*\\R\\s*", "; ");
    }
}
