/**
 * Turning an {@code APP} spec into an app: by name through the running class loaders, or again from its jar or
 * classes folder in a fresh class loader or {@link java.lang.ModuleLayer} for a rolling reload.
 */
package dev.pounce.runtime.internal.app;
