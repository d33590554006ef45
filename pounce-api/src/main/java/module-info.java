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
 * <p>Plugins read {@code dev.pounce.spi} as well, and find their place by {@link java.util.ServiceLoader}:
 * protocols ({@link dev.pounce.spi.StreamProtocol}, {@link dev.pounce.spi.DatagramProtocol}), upgrade providers
 * that turn a request into a {@link dev.pounce.spi.Tunnel} ({@link dev.pounce.spi.UpgradeProvider}), connection
 * takeovers ({@link dev.pounce.spi.ConnectionTakeover}), preambles ({@link dev.pounce.spi.ConnectionPreamble}),
 * worker strategies ({@link dev.pounce.spi.WorkerStrategy}), middleware around the app
 * ({@link dev.pounce.spi.MiddlewareProvider}) and their own settings
 * ({@link dev.pounce.api.ConfigSection}). Only the SPI packages expose Netty types. A plugin that takes its own
 * upgrade token, with a flag of its own:
 * <pre>{@code
 * module com.example.echo {
 *     requires dev.pounce.api;
 *     // Echoes every byte of "Upgrade: echo" (HTTP/1.1) and ":protocol echo" (HTTP/2) tunnels.
 *     provides dev.pounce.spi.UpgradeProvider with com.example.echo.EchoProvider;
 *     // --echo-path: the one path the tunnel is offered on.
 *     provides dev.pounce.api.ConfigSection with com.example.echo.EchoSection;
 * }
 * }</pre>
 */
module dev.pounce.api {
    // The SPI hands plugins Netty channels and buffers, so plugins read Netty through us.
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires transitive org.slf4j;

    exports dev.pounce.api;
    exports dev.pounce.spi;
    exports dev.pounce.spi.kit;
}
