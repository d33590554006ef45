package dev.pounce.runtime;

import java.util.Optional;

/**
 * One protocol plugin as {@code pounce info} reports it: whether the configuration switches it on, and whether it
 * can run on this machine at all.
 *
 * @param name        the protocol's name ({@code http/1.1}, {@code h2}, {@code h3})
 * @param module      the module it came from, or {@code unnamed}
 * @param enabled     whether the configuration given switches it on ({@code ProtocolHandler.enabled})
 * @param unavailable why it cannot run here (a native library that does not load), or empty when it can
 */
public record ProtocolInfo(String name, String module, boolean enabled, Optional<String> unavailable) {
}
