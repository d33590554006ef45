package dev.pounce.spi;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's TLS key material as plain values, loaded once by the runtime from {@code --ssl-certfile},
 * {@code --ssl-keyfile}, {@code --ssl-ca-certs} and {@code --ssl-client-auth}, for a protocol that runs its own TLS
 * (QUIC's TLS 1.3 handshake lives inside QUIC, not in a pipeline handler).
 *
 * @param chain      the certificate chain, leaf first
 * @param key        the private key of the leaf
 * @param clientAuth whether client certificates are asked for
 * @param trustRoots the CA certificates client certificates must chain to; empty when none were given
 * @param alpn       the ALPN ids of the enabled protocols of this kind, most preferred first
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, ClientAuth clientAuth,
                          List<X509Certificate> trustRoots, List<String> alpn) {

    /** Client certificates: not asked for, asked for, or required. */
    public enum ClientAuth {
        /** Not asked for. */
        NONE,
        /** Asked for; a client without one is served. */
        OPTIONAL,
        /** Required; a client without a valid one fails the handshake. */
        REQUIRE
    }

    /** Copies the lists and checks every part is present. */
    public TlsMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain has at least the leaf");
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientAuth, "clientAuth");
        trustRoots = List.copyOf(trustRoots);
        alpn = List.copyOf(alpn);
    }

    /**
     * @param ids the ALPN ids to offer instead
     * @return the same material with those ids
     */
    public TlsMaterial withAlpn(List<String> ids) {
        return new TlsMaterial(chain, key, clientAuth, trustRoots, ids);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "TlsMaterial[leaf=" + chain.getFirst().getSubjectX500Principal() + ", key=" + key.getAlgorithm()
                + " ***, clientAuth=" + clientAuth + ", trustRoots=" + trustRoots.size() + ", alpn=" + alpn + "]";
    }
}
