package dev.pounce.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * TLS for the stream listener. Off unless a certificate and key are given. TLS 1.2 and 1.3 only, no compression, a
 * modern cipher list, ALPN offering whatever protocols are present ({@code h2}, {@code http/1.1}).
 *
 * @param certFile    the PEM certificate chain, leaf first ({@code --ssl-certfile})
 * @param keyFile     the PEM private key, PKCS#8 or PKCS#1 ({@code --ssl-keyfile})
 * @param keyPassword the key's password, if it is encrypted ({@code --ssl-keyfile-password})
 * @param caCerts     PEM CA certificates that client certificates must chain to ({@code --ssl-ca-certs})
 * @param clientAuth  {@code none} (the default), {@code optional} or {@code require} ({@code --ssl-client-auth})
 */
public record TlsConfig(Optional<Path> certFile, Optional<Path> keyFile, Optional<String> keyPassword,
                        Optional<Path> caCerts, String clientAuth) {

    /** The values {@link #clientAuth} accepts. */
    public static final Set<String> CLIENT_AUTH = Set.of("none", "optional", "require");

    /** No TLS. */
    public static final TlsConfig NONE = new TlsConfig(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), "none");

    /** @return whether TLS is on */
    public boolean enabled() {
        return certFile.isPresent();
    }

    @Override
    public String toString() {
        // Never print the key password.
        return "TlsConfig[certFile=" + certFile + ", keyFile=" + keyFile + ", keyPassword="
                + (keyPassword.isPresent() ? "***" : "none") + ", caCerts=" + caCerts + ", clientAuth=" + clientAuth + "]";
    }
}
