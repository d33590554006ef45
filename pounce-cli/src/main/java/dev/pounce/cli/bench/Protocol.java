package dev.pounce.cli.bench;

import java.util.Arrays;
import java.util.Optional;

/** How the load client talks to the server. */
public enum Protocol {
    /** HTTP/1.1, each connection kept alive and used for one request after another. */
    H1("h1"),
    /** HTTP/1.1 with {@code Connection: close}: a new TCP connection per request, its set-up in the latency. */
    H1_CLOSE("h1-close"),
    /** HTTP/2 over cleartext with prior knowledge (RFC 9113 §3.3), {@code --streams} requests at once per connection. */
    H2C("h2c");

    private final String id;

    Protocol(String id) {
        this.id = id;
    }

    /** @return the name on the command line and in reports */
    public String id() {
        return id;
    }

    /**
     * @param id a name as typed
     * @return the protocol of that name
     */
    public static Optional<Protocol> of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id.strip())).findFirst();
    }
}
