package dev.pounce.runtime.internal.worker;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where workers listen. With port 0 the first worker to bind picks the port and every later worker binds the same
 * one, so {@code --port 0 --workers 2} gives one port, not two.
 */
public final class BindTarget {

    private final Optional<Path> uds;
    private volatile InetSocketAddress tcp;

    /**
     * @param host the host to bind
     * @param port the port, 0 for any free one
     * @param uds  a socket path instead of host and port
     */
    public BindTarget(String host, int port, Optional<Path> uds) {
        this.uds = uds;
        this.tcp = uds.isPresent() ? null : new InetSocketAddress(host, port);
    }

    /** @return the socket path, if listening on a Unix domain socket */
    public Optional<Path> uds() {
        return uds;
    }

    /** @return the TCP address to bind: the real port once the first worker has bound */
    public InetSocketAddress tcp() {
        return tcp;
    }

    /** Records the address the first bind got, so port 0 is resolved once for all workers. */
    synchronized void bound(InetSocketAddress actual) {
        if (tcp != null && tcp.getPort() == 0) {
            tcp = new InetSocketAddress(tcp.getAddress(), actual.getPort());
        }
    }
}
