/**
 * What every protocol plugin needs and would otherwise write again: the hop from an app's thread to the connection's
 * event loop ({@link dev.pounce.spi.kit.Loop}), the delivery of a request body to the bridge with the
 * disconnect-once rule and the writability waits ({@link dev.pounce.spi.kit.AbstractExchange}), the same plumbing
 * for upgrade tunnels ({@link dev.pounce.spi.kit.AbstractTunnel}) and offers
 * ({@link dev.pounce.spi.kit.AbstractUpgradeOffer}), and the {@code Date} field cached once a second
 * per event loop ({@link dev.pounce.spi.kit.HttpDate}).
 *
 * <p>Plugins read only {@code dev.pounce.api}, never each other, so the shared code lives here, in the module every
 * plugin already reads; HTTP/1.1, HTTP/2 and HTTP/3 each subclass it instead of keeping a copy. It is a toolkit, not
 * part of the contract: a protocol may implement the SPI interfaces directly.
 */
package dev.pounce.spi.kit;
