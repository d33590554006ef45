package dev.pounce.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throwaway certificates for tests that need TLS (HTTP/3 above all), made with the JDK's keytool. */
final class Certificates {

    private Certificates() {
    }

    /**
     * A self-signed EC certificate for {@code localhost} and {@code 127.0.0.1}, valid two days, written as PEM.
     *
     * @param dir where to write it
     * @return {certificate, key}
     */
    static Path[] selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("localhost.p12");
        // A folder that already holds one (a test asking twice) keeps it.
        if (!Files.exists(store)) {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "localhost",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        }
        var ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        var key = (PrivateKey) ks.getKey("localhost", "changeit".toCharArray());
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE",
                ks.getCertificate("localhost").getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return new Path[]{cert, keyFile};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
