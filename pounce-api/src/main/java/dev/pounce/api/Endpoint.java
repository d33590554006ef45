package dev.pounce.api;

import java.util.Objects;

/**
 * One end of a connection, as ASGI's {@code client} and {@code server} pairs.
 *
 * @param host an IP address in text form, or the socket path for a Unix domain socket
 * @param port the port, 0 for a Unix domain socket
 */
public record Endpoint(String host, int port) {
    /** Checks the host is present. */
    public Endpoint {
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
