/**
 * The plugin SPIs: {@link dev.pounce.spi.ProtocolHandler} turns bytes into exchanges and hands each to the
 * {@link dev.pounce.spi.Bridge}; {@link dev.pounce.spi.UpgradeHandler} takes over a connection from another
 * protocol; {@link dev.pounce.spi.WorkerStrategy} hosts workers; {@link dev.pounce.spi.ConnectionPreamble} reads
 * what comes before a connection's protocol (the PROXY protocol header) and may replace its addresses. Providers are found with
 * {@link java.util.ServiceLoader}, so a third-party plugin has exactly the powers that Pounce's own plugins have.
 *
 * <p>Threads: every callback named "on the event loop" runs on the Netty event loop that owns the connection and
 * must never block. Methods of {@link dev.pounce.spi.HttpExchange} may be called from any thread.
 */
package dev.pounce.spi;
