package dev.pounce.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code --plugin-path DIR}, read from the raw arguments before they are parsed: the plugins in those folders bring
 * flags of their own, so the folders must be known before the parser that holds those flags is built. Picocli
 * parses the option again afterwards, for the help and for a missing value.
 */
final class PluginPath {

    /**
     * The runtime reads its plugin folders from this system property (its {@code PluginLayer.PROPERTY}); the
     * launcher sets it to the {@code plugins/} folder beside the image or distribution.
     */
    static final String PROPERTY = "pounce.plugin.path";

    static final String FLAG = "--plugin-path";

    private PluginPath() {
    }

    /**
     * @param args the command line as given
     * @return the folders named by {@code --plugin-path DIR} or {@code --plugin-path=DIR}, in order, up to a
     *         {@code --} that ends the options
     */
    static List<String> in(String[] args) {
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals(FLAG) && i + 1 < args.length) {
                folders.add(args[++i]);
            } else if (args[i].startsWith(FLAG + "=")) {
                folders.add(args[i].substring(FLAG.length() + 1));
            }
        }
        return folders;
    }

    /**
     * The folders by the precedence of every setting: the flags, else the {@code POUNCE_PLUGIN_PATH} variable
     * ({@code :}-separated), else the config file's {@code plugin-path}.
     *
     * @param args the command line as given
     * @param env  the variables
     * @param file the config file
     * @return the folders to add to the launcher's
     */
    static List<String> folders(String[] args, Environment env, ConfigFile file) {
        List<String> typed = in(args);
        if (!typed.isEmpty()) {
            return typed;
        }
        Optional<String> variable = env.variable(ConfigKeys.variableOf(FLAG.substring(2)));
        if (variable.isPresent()) {
            return Arrays.stream(variable.get().split(File.pathSeparator)).filter(f -> !f.isEmpty()).toList();
        }
        return file.texts(FLAG.substring(2));
    }

    /**
     * Adds the {@code --plugin-path} folders to the ones the launcher named, before any plugin is loaded: the
     * runtime reads its plugin folders once.
     *
     * @param args the command line as given
     */
    static void apply(String[] args) {
        apply(in(args));
    }

    /**
     * Adds plugin folders to the ones the launcher named, before any plugin is loaded.
     *
     * @param folders the folders
     */
    static void apply(List<String> folders) {
        if (folders.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        String launcher = System.getProperty(PROPERTY, "");
        if (!launcher.isBlank()) {
            parts.add(launcher);
        }
        parts.addAll(folders);
        System.setProperty(PROPERTY, String.join(File.pathSeparator, parts));
    }
}
