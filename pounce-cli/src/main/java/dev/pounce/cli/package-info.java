/**
 * The {@code pounce} command: flags to {@link dev.pounce.api.ServerConfig}, the APP argument to an
 * {@link dev.pounce.api.App}, logging set-up, and {@code pounce check}; {@link dev.pounce.cli.Main} is the entry.
 */
package dev.pounce.cli;
