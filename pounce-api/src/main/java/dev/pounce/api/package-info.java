/**
 * The application API: an {@link dev.pounce.api.App} gets a {@link dev.pounce.api.Scope} and exchanges sealed
 * {@link dev.pounce.api.Message} records through blocking {@link dev.pounce.api.Receive} and
 * {@link dev.pounce.api.Send}, and the frozen {@link dev.pounce.api.ServerConfig} that every worker shares.
 * {@link dev.pounce.api.Middleware} hooks run around an app's HTTP requests ({@link dev.pounce.api.App#with}).
 *
 * <p>This is a Java rendering of ASGI 3.0 made for virtual threads. It uses no Netty type, so an application
 * depends on this package alone.
 */
package dev.pounce.api;
