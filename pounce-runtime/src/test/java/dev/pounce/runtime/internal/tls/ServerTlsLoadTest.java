package dev.pounce.runtime.internal.tls;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.failure.StartFailure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Building the TLS context from PEM files: each key format that loads, and each startup error's one line. */
class ServerTlsLoadTest {

    @TempDir
    static Path dir;
    static TestCertificates pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestCertificates.create(dir);
    }

    private static ServerConfig.Builder config(Path cert, Path key) {
        return ServerConfig.builder().port(0).sslCertFile(cert).sslKeyFile(key);
    }

    private static ServerTls load(ServerConfig.Builder b) throws StartFailure {
        return ServerTls.load(b.build(), List.of("h2", "http/1.1"));
    }

    private static String failure(ServerConfig.Builder b) {
        return assertThrows(StartFailure.class, () -> load(b)).getMessage();
    }

    @Test
    void loadsPkcs8KeyAndOffersOnlyTls13And12WithAlpn() throws Exception {
        ServerTls tls = load(config(pki.serverChain, pki.serverKey));
        assertEquals(List.of("h2", "http/1.1"), tls.alpn());
        assertTrue(tls.context().isServer());
        assertEquals(List.of("h2", "http/1.1"), tls.context().applicationProtocolNegotiator().protocols());
        for (String suite : tls.context().cipherSuites()) {
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                    || suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("_CHACHA20_")),
                    "unexpected cipher suite " + suite);
        }
        assertTrue(tls.context().cipherSuites().contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                tls.context().cipherSuites().toString());
    }

    @Test
    void loadsPkcs1AndEncryptedPkcs8AndSec1Keys() throws Exception {
        load(config(pki.serverChain, pki.serverKeyPkcs1));
        load(config(pki.serverChain, pki.serverKeyEncrypted).sslKeyPassword(TestCertificates.KEY_PASSWORD));
        load(config(pki.otherCert, pki.otherKeySec1));
    }

    @Test
    void missingCertificateFile() {
        Path missing = dir.resolve("nope.pem");
        assertEquals("--ssl-certfile " + missing + " does not exist", failure(config(missing, pki.serverKey)));
    }

    @Test
    void missingKeyFile() {
        Path missing = dir.resolve("nokey.pem");
        assertEquals("--ssl-keyfile " + missing + " does not exist", failure(config(pki.serverChain, missing)));
    }

    @Test
    void unreadableKeyFile() throws Exception {
        Path locked = Files.copy(pki.serverKey, dir.resolve("locked.pem"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: a mode-000 file is still readable");
        assertEquals("--ssl-keyfile " + locked + " cannot be read: permission denied",
                failure(config(pki.serverChain, locked)));
    }

    @Test
    void certificateFileThatIsNotPem() throws Exception {
        Path text = pki.write("not-pem.txt", "hello, I am not a certificate\n");
        String message = failure(config(text, pki.serverKey));
        assertTrue(message.startsWith("--ssl-certfile " + text + " is not a PEM file"), message);
    }

    @Test
    void corruptBase64() throws Exception {
        Path bad = pki.write("bad-base64.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!@@@\n-----END CERTIFICATE-----\n");
        String message = failure(config(bad, pki.serverKey));
        assertTrue(message.startsWith("--ssl-certfile " + bad + " is not valid PEM"), message);
    }

    @Test
    void swappedCertificateAndKey() {
        String message = failure(config(pki.serverKey, pki.serverChain));
        assertTrue(message.startsWith("--ssl-certfile " + pki.serverKey + " holds no -----BEGIN CERTIFICATE----- "
                + "block (it holds PRIVATE KEY)"), message);
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() {
        assertTrue(failure(config(pki.serverChain, pki.clientKey)).startsWith("--ssl-keyfile " + pki.clientKey
                + " does not match the certificate in --ssl-certfile " + pki.serverChain));
        // An EC key against an RSA certificate, too.
        assertTrue(failure(config(pki.serverChain, pki.otherKeySec1)).startsWith("--ssl-keyfile "
                + pki.otherKeySec1 + " does not match"));
    }

    @Test
    void encryptedKeyWithoutPassword() {
        assertEquals("--ssl-keyfile " + pki.serverKeyEncrypted + " is encrypted; give its password with "
                + "--ssl-keyfile-password", failure(config(pki.serverChain, pki.serverKeyEncrypted)));
    }

    @Test
    void encryptedKeyWithWrongPassword() {
        assertEquals("--ssl-keyfile " + pki.serverKeyEncrypted + " cannot be decrypted: wrong password "
                        + "(--ssl-keyfile-password)",
                failure(config(pki.serverChain, pki.serverKeyEncrypted).sslKeyPassword("not-it")));
    }

    @Test
    void legacyEncryptedKeyIsRefusedWithTheFix() throws Exception {
        Path legacy = pki.write("legacy.pem", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        String message = failure(config(pki.serverChain, legacy));
        assertTrue(message.startsWith("--ssl-keyfile " + legacy + " is encrypted in the legacy OpenSSL format"),
                message);
        assertTrue(message.contains("openssl pkcs8 -topk8"), message);
    }

    @Test
    void caFileThatIsMissingOrNotPem() throws Exception {
        Path missing = dir.resolve("no-ca.pem");
        assertEquals("--ssl-ca-certs " + missing + " does not exist",
                failure(config(pki.serverChain, pki.serverKey).sslCaCerts(missing).sslClientAuth("require")));
        Path junk = pki.write("junk-ca.pem", "junk");
        assertTrue(failure(config(pki.serverChain, pki.serverKey).sslCaCerts(junk).sslClientAuth("optional"))
                .startsWith("--ssl-ca-certs " + junk + " is not a PEM file"));
        assertTrue(failure(config(pki.serverChain, pki.serverKey).sslCaCerts(pki.clientKey).sslClientAuth("require"))
                .startsWith("--ssl-ca-certs " + pki.clientKey + " holds no -----BEGIN CERTIFICATE----- block"));
    }

    @Test
    void directoryInsteadOfFile() {
        assertEquals("--ssl-certfile " + dir + " is a directory, not a PEM file", failure(config(dir, pki.serverKey)));
    }

    @Test
    void keyMatchCheckAcceptsTheRightKeys() throws Exception {
        var chain = PemDecoder.certificates(PemFile.read("--ssl-certfile", pki.serverChain));
        assertEquals(2, chain.size());
        var key = PemDecoder.privateKey(PemFile.read("--ssl-keyfile", pki.serverKeyPkcs1), java.util.Optional.empty(),
                "--ssl-keyfile-password");
        assertTrue(PemDecoder.matches(key, chain.getFirst()));
        assertFalse(PemDecoder.matches(key, chain.get(1)));
        var ec = PemDecoder.privateKey(PemFile.read("--ssl-keyfile", pki.otherKeySec1), java.util.Optional.empty(),
                "--ssl-keyfile-password");
        assertTrue(PemDecoder.matches(ec, PemDecoder.certificates(PemFile.read("--ssl-certfile", pki.otherCert))
                .getFirst()));
        assertFalse(PemDecoder.matches(ec, chain.getFirst()));
    }
}
