/**
 * The runtime's public entry: {@link dev.pounce.runtime.Server} builds and starts a server, and
 * {@link dev.pounce.runtime.ServerHandle} stops it. Everything else in the module is internal.
 */
package dev.pounce.runtime;
