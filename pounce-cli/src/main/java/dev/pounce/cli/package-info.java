/**
 * The {@code pounce} command: flags (Pounce's own and the plugins') to {@link dev.pounce.api.ServerConfig}, the APP
 * argument to an {@link dev.pounce.api.App}, logging set-up, {@code pounce check} and {@code pounce info};
 * {@link dev.pounce.cli.Main} is the entry.
 */
package dev.pounce.cli;
