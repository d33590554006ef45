package dev.pounce.spi;

import dev.pounce.api.Endpoint;
import dev.pounce.api.WorkerIdentity;

import java.util.Optional;

/**
 * Facts about one accepted connection, fixed when it is accepted.
 *
 * @param id     a number unique among the connections of its worker
 * @param worker the worker that owns the connection
 * @param client the peer's address; absent on a Unix domain socket
 * @param server the local address; for a Unix domain socket the path with port 0
 * @param secure whether the connection is TLS
 */
public record ConnectionInfo(long id, WorkerIdentity worker, Optional<Endpoint> client, Optional<Endpoint> server,
                             boolean secure) {

    /** @return {@code https} on TLS, {@code http} otherwise */
    public String scheme() {
        return secure ? "https" : "http";
    }
}
