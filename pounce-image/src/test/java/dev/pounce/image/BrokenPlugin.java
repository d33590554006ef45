package dev.pounce.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A plugin jar whose {@code requires} cannot be met: module {@code plugin.broken} needs {@code plugin.dep}, which
 * is compiled but not shipped. On the JVM's -p it would stop the JVM before main; in plugins/ Pounce names it and
 * starts without it.
 */
final class BrokenPlugin {

    private BrokenPlugin() {
    }

    static Path build(Path dir) throws IOException {
        Path src = dir.resolve("src");
        write(src.resolve("plugin.dep/module-info.java"), "module plugin.dep { exports plugin.dep; }");
        write(src.resolve("plugin.dep/plugin/dep/Dep.java"), "package plugin.dep; public class Dep { }");
        write(src.resolve("plugin.broken/module-info.java"), """
                module plugin.broken {
                    requires dev.pounce.api;
                    requires plugin.dep;
                    provides dev.pounce.api.LifecycleListener with plugin.broken.Listener;
                }""");
        write(src.resolve("plugin.broken/plugin/broken/Listener.java"), """
                package plugin.broken;
                public class Listener implements dev.pounce.api.LifecycleListener {
                    public void onEvent(dev.pounce.api.LifecycleEvent e) { new plugin.dep.Dep(); }
                }""");
        Path classes = dir.resolve("classes");
        Images.run("javac", List.of("--module-source-path", src.toString(), "-d", classes.toString(),
                "--module-path", Images.property("pounce.image.modules").toString(),
                "--module", "plugin.dep,plugin.broken"));
        Path jar = dir.resolve("plugin-broken.jar");
        Images.run("jar", List.of("--create", "--file", jar.toString(), "-C",
                classes.resolve("plugin.broken").toString(), "."));
        return jar;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
