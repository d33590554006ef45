package dev.pounce.runtime.internal.tls;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway PKI for TLS tests, made with the JDK's {@code keytool}: a CA, a server certificate for
 * {@code localhost}/{@code 127.0.0.1} signed by it, a client certificate signed by it, and an unrelated
 * self-signed EC pair; written as PEM the way operators hand them to Pounce.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";
    static final String KEY_PASSWORD = "s3cret-key";

    final Path dir;
    final Path caCert;
    final Path serverChain;
    final Path serverKey;
    final Path serverKeyPkcs1;
    final Path serverKeyEncrypted;
    final Path clientCert;
    final Path clientKey;
    final Path otherCert;
    final Path otherKeySec1;
    final X509Certificate ca;
    final PrivateKey clientPrivateKey;
    final X509Certificate client;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Pounce Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        caCert = dir.resolve("ca.pem");
        ca = readCertificate(caCert);

        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.crt",
                "-rfc", "-validity", "2", "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth");
        serverChain = dir.resolve("server-chain.pem");
        Files.writeString(serverChain, Files.readString(dir.resolve("server.crt")) + Files.readString(caCert));
        PrivateKey serverPrivate = privateKey("server.p12", "server");
        serverKey = write("server-key.pem", pem("PRIVATE KEY", serverPrivate.getEncoded()));
        // PKCS#1 is the OCTET STRING inside an RSA PKCS#8 key (RFC 5208 section 5).
        serverKeyPkcs1 = write("server-key-pkcs1.pem", pem("RSA PRIVATE KEY", innerKey(serverPrivate.getEncoded())));
        serverKeyEncrypted = write("server-key-encrypted.pem",
                pem("ENCRYPTED PRIVATE KEY", encrypt(serverPrivate.getEncoded(), KEY_PASSWORD)));

        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=client",
                "-validity", "2", "-keystore", "client.p12");
        keytool("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "client.csr", "-outfile", "client.crt",
                "-rfc", "-validity", "2", "-ext", "eku=clientAuth");
        clientCert = dir.resolve("client.crt");
        client = readCertificate(clientCert);
        clientPrivateKey = privateKey("client.p12", "client");
        clientKey = write("client-key.pem", pem("PRIVATE KEY", clientPrivateKey.getEncoded()));

        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=other",
                "-validity", "2", "-keystore", "other.p12");
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", "other.p12", "-file", "other.pem");
        otherCert = dir.resolve("other.pem");
        // SEC1 as "openssl ecparam -genkey" writes it: the curve in an EC PARAMETERS block (prime256v1's OID).
        byte[] prime256v1 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        otherKeySec1 = write("other-key-sec1.pem", pem("EC PARAMETERS", prime256v1)
                + pem("EC PRIVATE KEY", innerKey(privateKey("other.p12", "other").getEncoded())));
    }

    static TestCertificates create(Path dir) throws Exception {
        return new TestCertificates(dir);
    }

    /** @return a client context that trusts the test CA and, if asked, presents the client certificate */
    SSLContext clientContext(boolean withClientCertificate, String... protocols) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (withClientCertificate) {
            keys.setKeyEntry("client", clientPrivateKey, PASSWORD.toCharArray(), new Certificate[] {client, ca});
        }
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance(protocols.length == 0 ? "TLS" : protocols[0]);
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private PrivateKey privateKey(String store, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
    }

    private static X509Certificate readCertificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 for EC. */
    private static byte[] innerKey(byte[] pkcs8) throws Exception {
        for (Der.Element e : Der.read(pkcs8).children()) {
            if (e.tag() == Der.OCTET_STRING) {
                return e.content();
            }
        }
        throw new IllegalStateException("no key in PKCS#8");
    }

    /** PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as {@code openssl pkcs8 -topk8} makes it. */
    private static byte[] encrypt(byte[] pkcs8, String password) throws Exception {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(salt);
        new SecureRandom().nextBytes(iv);
        var key = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray()));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(pkcs8);
        // EncryptedPrivateKeyInfo(AlgorithmParameters, byte[]) cannot name PBES2 on JDK 25, so the DER is built here:
        // SEQUENCE { SEQUENCE { OID id-PBES2, PBES2-params }, OCTET STRING } (RFC 5958 section 3, RFC 8018 A.4).
        byte[] pbes2 = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        return Der.encode(Der.SEQUENCE, Der.encode(Der.SEQUENCE, pbes2, cipher.getParameters().getEncoded()),
                Der.encode(Der.OCTET_STRING, encrypted));
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
