/**
 * An echo tunnel for Pounce, written as a third party would write an upgrade plugin: it reads only
 * {@code dev.pounce.api}, takes its own upgrade token, {@code echo}, from any origin protocol, and sends back every
 * byte it receives. Over HTTP/1.1 a client asks with {@code Connection: upgrade} and {@code Upgrade: echo} and gets
 * {@code 101}; over HTTP/2 with an extended CONNECT ({@code :protocol echo}, RFC 8441) and gets {@code 200}. It never
 * knows which: both are a {@link dev.pounce.spi.Tunnel}. Its one flag, {@code --echo-path}, says where tunnels are
 * offered; elsewhere the offer is denied with {@code 404}.
 * <pre>{@code
 * cp pounce-echo-tunnel.jar /opt/pounce/plugins/
 * /opt/pounce/bin/pounce --echo-path /echo
 * }</pre>
 */
module dev.pounce.example.echo {
    requires dev.pounce.api;

    // Takes "Upgrade: echo" (HTTP/1.1) and ":protocol echo" (HTTP/2 and 3 extended CONNECT) and echoes the tunnel.
    provides dev.pounce.spi.UpgradeProvider with dev.pounce.example.echo.EchoProvider;
    // --echo-path: the one path echo tunnels are offered on.
    provides dev.pounce.api.ConfigSection with dev.pounce.example.echo.EchoSection;
}
