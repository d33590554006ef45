package dev.pounce.runtime.internal.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of a child worker: the same {@code java} as this JVM, its JVM options (memory, native access,
 * opened packages, system properties), the same module path and class path, and {@link ChildMain}.
 */
final class ChildCommand {

    /** Options whose value is the next argument, and which this class sets itself. */
    private static final Set<String> REPLACED = Set.of("-p", "--module-path", "-cp", "-classpath", "--class-path",
            "--add-modules");
    /** Other options whose value is the next argument, kept as they are. */
    private static final Set<String> WITH_VALUE = Set.of("--add-opens", "--add-exports", "--add-reads",
            "--patch-module", "--limit-modules", "--upgrade-module-path", "--enable-native-access");

    private ChildCommand() {
    }

    /** @return the command that starts one child worker */
    static List<String> build() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions(ProcessHandle.current().info().arguments().orElse(new String[0])));
        // Logging settings made with System.setProperty (as the CLI does) are not on the command line, nor are the
        // tests' internal settings.
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("org.slf4j.simpleLogger.") || k.startsWith("pounce.internal."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        if (!modulePath.isEmpty()) {
            cmd.add("-p");
            cmd.add(modulePath);
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
        }
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        Module m = ChildMain.class.getModule();
        if (m.isNamed()) {
            cmd.add("-m");
            cmd.add(m.getName() + "/" + ChildMain.class.getName());
        } else {
            cmd.add(ChildMain.class.getName());
        }
        return cmd;
    }

    /**
     * The JVM options among this JVM's arguments: everything before the main class, module or jar, less the paths
     * and root modules that {@link #build} sets, and less {@code -D} settings already copied from the properties.
     *
     * @param args this JVM's arguments, without the launcher
     * @return the options to repeat
     */
    static List<String> jvmOptions(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-m") || a.equals("--module") || a.equals("-jar") || !a.startsWith("-")) {
                break;
            }
            if (REPLACED.contains(a)) {
                i++;
                continue;
            }
            if (REPLACED.stream().anyMatch(r -> a.startsWith(r + "=")) || a.startsWith("-Dorg.slf4j.simpleLogger.")
                    || a.startsWith("-Djdk.module.") || a.startsWith("-Djava.class.path=")) {
                continue;
            }
            out.add(a);
            if (WITH_VALUE.contains(a) && i + 1 < args.length) {
                out.add(args[++i]);
            }
        }
        return out;
    }
}
