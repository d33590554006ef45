package dev.pounce.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value read from a TOML file by {@link TomlReader}, with the line and column it was written at, so that an error
 * about it can name them. A config file only needs each value as the text a flag would take, so scalars keep their
 * text (a string's content, an integer in decimal, a float as written) and their TOML type; tables keep their keys
 * in the order written.
 */
sealed interface TomlValue permits TomlValue.Scalar, TomlValue.Array, TomlValue.Table {

    /** @return where the value starts */
    Position at();

    /** @return what kind of value it is, for messages: {@code a string}, {@code an array}, ... */
    String describe();

    /**
     * A place in the file.
     *
     * @param line   the line, from 1
     * @param column the column, from 1, in characters
     */
    record Position(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    /** The TOML types of a scalar. */
    enum Type {
        /** A basic or literal string, single- or multi-line. */
        STRING("a string"),
        /** A 64-bit integer, decimal, hexadecimal, octal or binary. */
        INTEGER("an integer"),
        /** A float, {@code inf} and {@code nan} included. */
        FLOAT("a float"),
        /** {@code true} or {@code false}. */
        BOOLEAN("a boolean"),
        /** An offset or local date-time, a local date or a local time (RFC 3339), kept as written. */
        DATE_TIME("a date or time");

        private final String words;

        Type(String words) {
            this.words = words;
        }
    }

    /**
     * A string, number, boolean or date.
     *
     * @param type its TOML type
     * @param text a string's content; an integer in decimal without {@code _}; a float as written without
     *             {@code _} or a leading {@code +}; {@code true} or {@code false}; a date or time as written
     * @param at   where it starts
     */
    record Scalar(Type type, String text, Position at) implements TomlValue {
        @Override
        public String describe() {
            return type.words;
        }
    }

    /**
     * An array, or an array of tables ({@code [[name]]}).
     *
     * @param items    the items, in order; the reader appends to it while it reads, nothing after
     * @param ofTables whether it was made by {@code [[name]]} headers, which may add to it
     * @param at       where it starts
     */
    record Array(List<TomlValue> items, boolean ofTables, Position at) implements TomlValue {
        @Override
        public String describe() {
            return ofTables ? "an array of tables" : "an array";
        }
    }

    /**
     * A table: the whole file, a {@code [header]}, a table made by a dotted key, or an inline table. Filled by the
     * reader, then only read.
     */
    final class Table implements TomlValue {

        /** How a table came to be, which decides what TOML lets a later line add to it. */
        enum Origin {
            /** The whole file. */
            ROOT,
            /** Named by a {@code [header]} or {@code [[header]]}. */
            HEADER,
            /** A part of a longer header ({@code a} in {@code [a.b]}), not yet named by a header of its own. */
            IMPLICIT,
            /** Made by a dotted key ({@code a} in {@code a.b = 1}). */
            DOTTED,
            /** Written inline, {@code {k = v}}: complete once closed. */
            INLINE
        }

        private final Map<String, TomlValue> values = new LinkedHashMap<>();
        private final Map<String, Position> keys = new LinkedHashMap<>();
        private final Position at;
        private Origin origin;

        Table(Origin origin, Position at) {
            this.origin = origin;
            this.at = at;
        }

        @Override
        public Position at() {
            return at;
        }

        @Override
        public String describe() {
            return "a table";
        }

        /** @return the keys and values, in the order written */
        Map<String, TomlValue> values() {
            return Collections.unmodifiableMap(values);
        }

        /**
         * @param key a key of this table
         * @return its value, if it has one
         */
        Optional<TomlValue> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        /**
         * @param key a key of this table
         * @return where the key was written; for a table made by a header, where the header is
         */
        Position keyAt(String key) {
            return keys.getOrDefault(key, at);
        }

        Origin origin() {
            return origin;
        }

        void origin(Origin now) {
            origin = now;
        }

        void put(String key, TomlValue value, Position keyAt) {
            values.put(key, value);
            keys.put(key, keyAt);
        }
    }
}
