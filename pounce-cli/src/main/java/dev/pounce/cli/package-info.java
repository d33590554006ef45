/**
 * The {@code pounce} command: flags (Pounce's own and the plugins') to {@link dev.pounce.api.ServerConfig}, the APP
 * argument to an {@link dev.pounce.api.App}, logging set-up, {@code pounce check} and {@code pounce info};
 * {@link dev.pounce.cli.Main} is the entry.
 *
 * <p>The config file ({@code pounce.toml}) and the {@code POUNCE_*} variables are not a second way to configure the
 * server beside the flags but a layer under them: their keys are made from the flags' tables, and their values are
 * handed to picocli as the flags they stand for, so one parser converts and checks every value whatever its source,
 * and a flag added by anyone gets a key and a variable with no code of its own. They are read here and nowhere else:
 * the runtime and its process workers get the frozen result.
 */
package dev.pounce.cli;
