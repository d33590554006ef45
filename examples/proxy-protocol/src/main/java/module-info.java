/**
 * HAProxy PROXY protocol (v1 text and v2 binary) for Pounce, as a third party would write it: it reads only
 * {@code dev.pounce.api} and adds a {@link dev.pounce.spi.ConnectionPreamble}. With its jar in {@code plugins/},
 * a connection that starts with a PROXY header is served as coming from the client the header names; one that
 * does not is served as usual, unless {@code -Dpounce.proxy-protocol.required=true}.
 * <pre>{@code
 * cp pounce-proxy-protocol.jar /opt/pounce/plugins/
 * POUNCE_JAVA_OPTS=-Dpounce.proxy-protocol.trusted=10.0.0.0/8 /opt/pounce/bin/pounce
 * }</pre>
 */
module dev.pounce.example.proxy {
    requires dev.pounce.api;

    // Reads the PROXY v1 or v2 header before TLS and HTTP, and gives the connection the client it names.
    provides dev.pounce.spi.ConnectionPreamble with dev.pounce.example.proxy.ProxyProtocolPreamble;
}
