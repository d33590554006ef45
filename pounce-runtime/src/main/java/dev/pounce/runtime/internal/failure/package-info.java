/**
 * The runtime's internal failures, each carrying one line for a person. A leaf package: the public entry package
 * turns them into {@link dev.pounce.runtime.ServerStartException} and {@link dev.pounce.runtime.AppLoadException},
 * so the internals never depend on the entry package and the two have no cycle.
 */
package dev.pounce.runtime.internal.failure;
