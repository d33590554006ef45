/**
 * Finding plugins: every provider of every SPI on the module path and in the plugin folders
 * ({@link dev.pounce.runtime.internal.plugins.Plugins}, {@link dev.pounce.runtime.internal.plugins.PluginLayer}),
 * each broken one reported and skipped, and the protocols a configuration enables
 * ({@link dev.pounce.runtime.internal.plugins.EnabledProtocols}).
 */
package dev.pounce.runtime.internal.plugins;
