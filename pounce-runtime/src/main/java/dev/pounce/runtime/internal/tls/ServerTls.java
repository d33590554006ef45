package dev.pounce.runtime.internal.tls;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.TlsConfig;
import dev.pounce.runtime.internal.failure.StartFailure;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.TlsMaterial;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server's TLS: one {@link SslContext}, built once at startup from {@link TlsConfig} and shared by every worker
 * and connection, and the {@link SslHandler} each accepted connection gets.
 *
 * @param context          the context
 * @param engine           {@code OpenSSL} or {@code JDK}, for the startup log
 * @param alpn             the ALPN ids offered, in preference order; empty when no protocol has one
 * @param material         the key material as plain values, for a protocol that runs its own TLS (QUIC)
 */
public record ServerTls(SslContext context, String engine, List<String> alpn, TlsMaterial material) {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.TLS);

    /**
     * Forces an engine: {@code jdk} or {@code openssl}. Unset, OpenSSL is used when its native library loads.
     * An operator's escape hatch (a FIPS JSSE provider, a suspected engine bug), and how the tests reach both.
     */
    public static final String ENGINE_PROPERTY = "dev.pounce.tls.engine";

    /** Only these; TLS 1.0 and 1.1 are deprecated by RFC 8996. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * TLS 1.3's suites, then TLS 1.2 with forward secrecy and AEAD only (ECDHE with AES-GCM or ChaCha20-Poly1305):
     * Mozilla's "intermediate" list without the finite-field DHE suites. The same list as Netty's
     * {@code Http2SecurityUtil.CIPHERS}, so it also satisfies RFC 9113 section 9.2.2's block list.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Sessions kept for resumption; the JDK's own default. */
    static final long SESSION_CACHE_SIZE = 20_480;
    /** How long a session (and a TLS 1.3 ticket) may be resumed, in seconds: one hour bounds its exposure. */
    static final long SESSION_TIMEOUT_SECONDS = 3600;

    /**
     * Reads the certificate, key and CA files and builds the context.
     *
     * @param config the frozen configuration; {@code config.tls()} must be enabled
     * @param alpn   the ALPN ids of the enabled stream protocols, in preference order
     * @return the TLS setup
     * @throws StartFailure naming the flag and the file at fault
     */
    public static ServerTls load(ServerConfig config, List<String> alpn) throws StartFailure {
        TlsConfig tls = config.tls();
        Path certPath = tls.certFile().orElseThrow();
        Path keyPath = tls.keyFile().orElseThrow();
        PemFile certFile = PemFile.read("--ssl-certfile", certPath);
        List<X509Certificate> chain = PemDecoder.certificates(certFile);
        PemFile keyFile = PemFile.read("--ssl-keyfile", keyPath);
        PrivateKey key = PemDecoder.privateKey(keyFile, tls.keyPassword(), "--ssl-keyfile-password");
        if (!PemDecoder.matches(key, chain.getFirst())) {
            throw keyFile.problem("does not match the certificate in --ssl-certfile " + certPath
                    + " (the first certificate there must be the one this key signs for)");
        }
        Optional<List<X509Certificate>> trusted = Optional.empty();
        if (tls.caCerts().isPresent()) {
            trusted = Optional.of(PemDecoder.certificates(PemFile.read("--ssl-ca-certs", tls.caCerts().get())));
        }
        SslProvider provider = provider();
        var builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .clientAuth(switch (tls.clientAuth()) {
                    case "require" -> ClientAuth.REQUIRE;
                    case "optional" -> ClientAuth.OPTIONAL;
                    default -> ClientAuth.NONE;
                });
        trusted.ifPresent(builder::trustManager);
        if (!alpn.isEmpty()) {
            // NO_ADVERTISE + ACCEPT is the one pair both engines support: a client whose offer shares nothing
            // with ours gets no ALPN id and is served by the cleartext-fallback protocol (HTTP/1.1).
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new StartFailure("TLS cannot start with --ssl-certfile " + certPath + " and --ssl-keyfile "
                    + keyPath + ": " + e.getMessage(), e);
        }
        String engine = provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
        LOG.debug("TLS cipher suites: {}", context.cipherSuites());
        var material = new TlsMaterial(chain, key, switch (tls.clientAuth()) {
            case "require" -> TlsMaterial.ClientAuth.REQUIRE;
            case "optional" -> TlsMaterial.ClientAuth.OPTIONAL;
            default -> TlsMaterial.ClientAuth.NONE;
        }, trusted.orElse(List.of()), alpn);
        return new ServerTls(context, engine, List.copyOf(alpn), material);
    }

    /**
     * OpenSSL (BoringSSL from netty-tcnative) when its native library loads: it is faster than the JDK's engine
     * and does ChaCha20 and session tickets natively. The JDK engine otherwise, or when {@link #ENGINE_PROPERTY}
     * asks for it.
     */
    private static SslProvider provider() throws StartFailure {
        String wanted = System.getProperty(ENGINE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new StartFailure("-D" + ENGINE_PROPERTY + "=openssl, but OpenSSL cannot be loaded: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case "auto" -> {
                if (OpenSsl.isAvailable() && OpenSsl.isAlpnSupported()) {
                    yield SslProvider.OPENSSL;
                }
                LOG.debug("TLS: OpenSSL is not available, using the JDK engine: {}",
                        String.valueOf(OpenSsl.unavailabilityCause()));
                yield SslProvider.JDK;
            }
            default -> throw new StartFailure("-D" + ENGINE_PROPERTY + " must be auto, jdk or openssl, got '"
                    + wanted + "'");
        };
    }

    /**
     * Makes the handler that runs TLS on one accepted connection.
     *
     * @param channel the connection
     * @param timeout how long the client may take to finish the handshake (the header timeout)
     * @return its handler, with the handshake timeout set
     */
    public SslHandler newHandler(Channel channel, Duration timeout) {
        SslHandler handler = context.newHandler(channel.alloc());
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        return handler;
    }

    /** @return one line for the startup log */
    public String describe(String clientAuth) {
        return "TLS on: engine " + engine + ", " + String.join(" and ", PROTOCOLS) + ", ALPN "
                + (alpn.isEmpty() ? "none" : String.join(", ", alpn)) + ", client certificates " + clientAuth;
    }
}
