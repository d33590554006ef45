/**
 * The Pounce application API and the plugin SPIs.
 *
 * <p>Applications read only {@code dev.pounce.api}: an {@link dev.pounce.api.App} is one method that gets a
 * {@link dev.pounce.api.Scope} and blocking {@link dev.pounce.api.Receive}/{@link dev.pounce.api.Send} channels.
 * <pre>{@code
 * App hello = (scope, receive, send) -> {
 *     send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
 *     send.send(new HttpMessage.ResponseBody("hello".getBytes(), false));
 * };
 * }</pre>
 *
 * <p>Plugins read {@code dev.pounce.spi} as well: protocols ({@link dev.pounce.spi.ProtocolHandler}), upgrades
 * ({@link dev.pounce.spi.UpgradeHandler}) and worker strategies ({@link dev.pounce.spi.WorkerStrategy}) are found
 * by {@link java.util.ServiceLoader}. Only the SPI package exposes Netty types.
 */
module dev.pounce.api {
    // The SPI hands plugins Netty channels and buffers, so plugins read Netty through us.
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires transitive org.slf4j;

    exports dev.pounce.api;
    exports dev.pounce.spi;
}
