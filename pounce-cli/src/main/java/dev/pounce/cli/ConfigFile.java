package dev.pounce.cli;

import dev.pounce.cli.TomlValue.Position;
import dev.pounce.cli.TomlValue.Table;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The config file, found the way the Python Pounce finds it: the file named by {@code --config FILE} (or the
 * {@code POUNCE_CONFIG} variable), else {@code pounce.toml} in the working directory, else the
 * {@code [tool.pounce]} table of {@code pyproject.toml} there. A file named {@code pyproject.toml} is always read
 * for its {@code [tool.pounce]} table only. Read before any plugin is loaded, since it may name plugin folders;
 * whether its keys are known is decided later, by {@link ConfigLayers}, once the plugins' keys are.
 *
 * <p>Its tables are flattened to one {@link Entry} per value: {@code [http3]} with
 * {@code max-concurrent-streams = 64} is the key {@code http3.max-concurrent-streams}, as is the dotted key
 * {@code http3.max-concurrent-streams = 64} at the top.
 */
final class ConfigFile {

    /** The flag that names the file; read from the raw arguments, like {@link PluginPath#FLAG}. */
    static final String FLAG = "--config";

    /** The variable that names the file when the flag does not. */
    static final String VARIABLE = "POUNCE_CONFIG";

    /** The file looked for in the working directory. */
    static final String DEFAULT_NAME = "pounce.toml";

    /** The Python project file, whose {@code [tool.pounce]} table is read when there is no {@code pounce.toml}. */
    static final String PYPROJECT = "pyproject.toml";

    /** A config file is small; a bigger one is a mistake (a log or a binary named by accident). */
    private static final long MAX_BYTES = 1 << 20;

    /** No file. */
    static final ConfigFile NONE = new ConfigFile(Optional.empty(), List.of());

    /**
     * One value of the file.
     *
     * @param key   the key as written, its tables' names before it joined by dots ({@code http3.max_streams})
     * @param value the value
     * @param at    where the key is written
     */
    record Entry(String key, TomlValue value, Position at) { }

    /** The file cannot be read (exit 1) or is not valid TOML (exit 2); the message names it. */
    static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;

        Problem(String message, int status) {
            super(message);
            this.status = status;
        }

        /** @return the exit status: 1 for a file that cannot be read, 2 for one that does not parse */
        int status() {
            return status;
        }
    }

    private final Optional<String> shown;
    private final List<Entry> entries;

    private ConfigFile(Optional<String> shown, List<Entry> entries) {
        this.shown = shown;
        this.entries = List.copyOf(entries);
    }

    /**
     * Finds and reads the config file.
     *
     * @param args the command line as given, for {@code --config FILE}
     * @param env  the variables ({@code POUNCE_CONFIG}) and the working directory
     * @return the file, or {@link #NONE}
     * @throws Problem if the file named cannot be read, or a file found is not valid TOML
     */
    static ConfigFile find(String[] args, Environment env) {
        Optional<String> named = named(args);
        String by = FLAG;
        if (named.isEmpty()) {
            named = env.variable(VARIABLE).filter(v -> !v.isEmpty());
            by = VARIABLE;
        }
        if (named.isPresent()) {
            Path path = env.resolve(named.get());
            String text = readText(path, named.get(), by);
            return parse(text, named.get(), path.getFileName() != null
                    && path.getFileName().toString().equals(PYPROJECT), true);
        }
        if (env.workingDirectory().isEmpty()) {
            return NONE;
        }
        Path directory = env.workingDirectory().get();
        Path own = directory.resolve(DEFAULT_NAME);
        if (Files.isRegularFile(own)) {
            return parse(readText(own, DEFAULT_NAME, "the working directory"), DEFAULT_NAME, false, true);
        }
        Path project = directory.resolve(PYPROJECT);
        if (Files.isRegularFile(project)) {
            String text = readText(project, PYPROJECT, "the working directory");
            // A project file that never mentions pounce is someone else's; it need not even parse for us.
            if (text.contains("pounce")) {
                return parse(text, PYPROJECT, true, false);
            }
        }
        return NONE;
    }

    /**
     * @param args the command line as given
     * @return the file named by the last {@code --config FILE} or {@code --config=FILE}, up to a {@code --} that
     *         ends the options
     */
    static Optional<String> named(String[] args) {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals(FLAG) && i + 1 < args.length) {
                found = Optional.of(args[++i]);
            } else if (args[i].startsWith(FLAG + "=")) {
                found = Optional.of(args[i].substring(FLAG.length() + 1));
            }
        }
        return found;
    }

    private static String readText(Path path, String shown, String by) {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new Problem("the config file " + shown + " (" + by + ") is larger than " + (MAX_BYTES >> 10)
                        + " KiB; is it the right file?", 1);
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (NoSuchFileException e) {
            throw new Problem("the config file " + shown + " (" + by + ") does not exist", 1);
        } catch (CharacterCodingException e) {
            throw new Problem("the config file " + shown + " is not UTF-8 text, as TOML must be", 2);
        } catch (IOException e) {
            throw new Problem("cannot read the config file " + shown + " (" + by + "): " + e.getMessage(), 1);
        }
    }

    private static ConfigFile parse(String text, String shown, boolean pyproject, boolean named) {
        Table root;
        try {
            root = TomlReader.read(text);
        } catch (TomlReader.SyntaxError e) {
            throw new Problem(shown + ":" + e.at() + ": " + e.getMessage(), 2);
        }
        Table settings = root;
        if (pyproject) {
            Optional<TomlValue> tool = root.get("tool");
            Optional<TomlValue> pounce = tool.filter(Table.class::isInstance).flatMap(t -> ((Table) t).get("pounce"));
            if (pounce.isEmpty()) {
                if (named) {
                    throw new Problem(shown + " has no [tool.pounce] table", 1);
                }
                return NONE;
            }
            if (!(pounce.get() instanceof Table table)) {
                throw new Problem(shown + ":" + pounce.get().at() + ": tool.pounce must be a table of settings, not "
                        + pounce.get().describe(), 2);
            }
            settings = table;
        }
        List<Entry> entries = new ArrayList<>();
        flatten(settings, "", entries);
        return new ConfigFile(Optional.of(shown), entries);
    }

    private static void flatten(Table table, String prefix, List<Entry> into) {
        table.values().forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Table sub) {
                flatten(sub, name, into);
            } else {
                into.add(new Entry(name, value, table.keyAt(key)));
            }
        });
    }

    /** @return the file as messages name it ({@code pounce.toml}, or the path given), if there is one */
    Optional<String> shown() {
        return shown;
    }

    /** @return every value, in the order written */
    List<Entry> entries() {
        return entries;
    }

    /**
     * The texts of one key, for what must be known before the keys can be checked ({@code plugin-path}).
     *
     * @param key a key, with {@code -} or {@code _} between its words
     * @return the value's text, or each item's for an array; empty when the key is not in the file
     */
    List<String> texts(String key) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.key().replace('_', '-').equals(key)) {
                switch (e.value()) {
                    case TomlValue.Scalar scalar -> out.add(scalar.text());
                    case TomlValue.Array array -> array.items().stream()
                            .filter(TomlValue.Scalar.class::isInstance)
                            .forEach(item -> out.add(((TomlValue.Scalar) item).text()));
                    case Table ignored -> { }
                }
            }
        }
        return out;
    }
}
