package dev.pounce.runtime;

/**
 * One plugin found on the module path (or class path).
 *
 * @param kind    {@code protocol}, {@code upgrade}, {@code worker-strategy} or {@code lifecycle-listener}
 * @param name    the name it goes by ({@code http/1.1}, {@code thread}), or its class for listeners
 * @param module  the module it came from, or {@code unnamed} from the class path
 * @param version the module's version, or {@code unknown}
 */
public record PluginInfo(String kind, String name, String module, String version) {
}
