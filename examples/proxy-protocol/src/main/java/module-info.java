/**
 * HAProxy PROXY protocol (v1 text and v2 binary) for Pounce, as a third party would write it: it reads only
 * {@code dev.pounce.api} and adds a {@link dev.pounce.spi.ConnectionPreamble} with settings of its own. With its jar
 * in {@code plugins/}, a connection that starts with a PROXY header is served as coming from the client the header
 * names; one that does not is served as usual, unless {@code --proxy-protocol-required} is given.
 * <pre>{@code
 * cp pounce-proxy-protocol.jar /opt/pounce/plugins/
 * /opt/pounce/bin/pounce --proxy-protocol-trusted 10.0.0.0/8 --proxy-protocol-required com.example.HelloApp
 * /opt/pounce/bin/pounce --help     # the flags, under "PROXY protocol (dev.pounce.example.proxy)"
 * }</pre>
 */
module dev.pounce.example.proxy {
    requires dev.pounce.api;

    // Reads the PROXY v1 or v2 header before TLS and HTTP, and gives the connection the client it names.
    provides dev.pounce.spi.ConnectionPreamble with dev.pounce.example.proxy.ProxyProtocolPreamble;
    // --proxy-protocol-trusted, --[no-]proxy-protocol-required and --proxy-protocol-timeout.
    provides dev.pounce.api.ConfigSection with dev.pounce.example.proxy.ProxyProtocolSection;
}
