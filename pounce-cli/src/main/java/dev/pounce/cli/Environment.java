package dev.pounce.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code pounce} reads from its process besides the command line: the environment variables (for
 * {@code POUNCE_*} settings) and the working directory (where {@code pounce.toml} is looked for). A value, so that
 * tests hand the command an environment of their own instead of changing the JVM's.
 *
 * @param variables        the environment variables, sorted by name
 * @param workingDirectory where relative config paths start and {@code pounce.toml} is looked for; empty to look
 *                         for no file (only {@code --config} or {@code POUNCE_CONFIG} then name one)
 */
record Environment(SortedMap<String, String> variables, Optional<Path> workingDirectory) {

    /** No variables and no working directory: only the command line counts. */
    static final Environment NONE = new Environment(new TreeMap<>(), Optional.empty());

    /** Copies the variables. */
    Environment {
        variables = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(variables));
    }

    /**
     * @param variables        environment variables
     * @param workingDirectory the working directory
     * @return that environment
     */
    static Environment of(Map<String, String> variables, Path workingDirectory) {
        return new Environment(new TreeMap<>(variables), Optional.of(workingDirectory.toAbsolutePath()));
    }

    /** @return this process's environment variables and working directory */
    static Environment ofProcess() {
        return of(System.getenv(), Path.of(""));
    }

    /**
     * @param name a variable's name
     * @return its value, if it is set
     */
    Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /**
     * @param path a path as a person wrote it
     * @return it, resolved against the working directory when it is relative and there is one
     */
    Path resolve(String path) {
        Path p = Path.of(path);
        return workingDirectory.map(w -> w.resolve(p)).orElse(p);
    }
}
