package dev.pounce.cli;

import dev.pounce.cli.TomlValue.Position;

/**
 * Where a setting's value came from, by precedence: a flag, else a {@code POUNCE_*} variable, else the config file,
 * else the default. {@code pounce config show} prints it beside each value, and an error about a value names it.
 */
sealed interface Origin {

    /** @return the kind of source: {@code default}, {@code file}, {@code env} or {@code flag} */
    String source();

    /** @return the place within it: {@code pounce.toml:3}, {@code POUNCE_PORT}, {@code --port}; empty by default */
    String where();

    /** @return both, for people: {@code default}, {@code pounce.toml:3}, {@code env POUNCE_PORT}, {@code flag --port} */
    String describe();

    /** The value no one gave: the config's default. */
    record Default() implements Origin {
        @Override
        public String source() {
            return "default";
        }

        @Override
        public String where() {
            return "";
        }

        @Override
        public String describe() {
            return "default";
        }
    }

    /**
     * A flag or argument on the command line.
     *
     * @param flag the flag as it stands there, such as {@code --port} or {@code --no-http2}, or {@code APP}
     */
    record Flag(String flag) implements Origin {
        @Override
        public String source() {
            return "flag";
        }

        @Override
        public String where() {
            return flag;
        }

        @Override
        public String describe() {
            return "flag " + flag;
        }
    }

    /**
     * An environment variable.
     *
     * @param variable its name, such as {@code POUNCE_WORKERS}
     */
    record Env(String variable) implements Origin {
        @Override
        public String source() {
            return "env";
        }

        @Override
        public String where() {
            return variable;
        }

        @Override
        public String describe() {
            return "env " + variable;
        }
    }

    /**
     * A key of the config file.
     *
     * @param file    the file as messages name it
     * @param key     the key as written there, such as {@code http3.max-concurrent-streams} or {@code keep_alive_timeout}
     * @param keyAt   where the key is
     * @param valueAt where its value is, which an error about the value points at
     */
    record File(String file, String key, Position keyAt, Position valueAt) implements Origin {
        @Override
        public String source() {
            return "file";
        }

        @Override
        public String where() {
            return file + ":" + keyAt.line();
        }

        @Override
        public String describe() {
            return where();
        }

        /** @return the file, line and column of the value, to start an error message with */
        String location() {
            return file + ":" + valueAt;
        }
    }
}
