/**
 * The plugin SPIs. A protocol ({@link dev.pounce.spi.ProtocolHandler}: a {@link dev.pounce.spi.StreamProtocol} or a
 * {@link dev.pounce.spi.DatagramProtocol}) turns bytes into exchanges and hands each to the
 * {@link dev.pounce.spi.Bridge}, which builds the scope and runs the app for HTTP requests
 * ({@link dev.pounce.spi.HttpExchange}) and WebSocket sessions ({@link dev.pounce.spi.WebSocketSession}). An
 * {@link dev.pounce.spi.UpgradeProvider} is offered each request that asks for its token, from any origin protocol,
 * and turns an accepted offer into a {@link dev.pounce.spi.Tunnel}; a {@link dev.pounce.spi.ConnectionTakeover}
 * switches a whole HTTP/1.1 connection ({@code h2c}). A {@link dev.pounce.spi.ConnectionPreamble} reads what comes
 * before a connection's protocol (the PROXY protocol header); a {@link dev.pounce.spi.WorkerStrategy} hosts workers;
 * a {@link dev.pounce.spi.MiddlewareProvider} puts a {@link dev.pounce.api.Middleware} around the app.
 * A plugin's settings are a {@link dev.pounce.api.ConfigSection}. Providers are found with
 * {@link java.util.ServiceLoader}, so a third-party plugin has exactly the powers that Pounce's own plugins have;
 * {@code dev.pounce.spi.kit} holds the plumbing every protocol needs, written once.
 *
 * <p>Threads: every callback named "on the event loop" runs on the Netty event loop that owns the connection and
 * must never block. Methods of {@link dev.pounce.spi.HttpExchange}, {@link dev.pounce.spi.Tunnel},
 * {@link dev.pounce.spi.UpgradeOffer} and {@link dev.pounce.spi.WebSocketSession} may be called from any thread.
 */
package dev.pounce.spi;
