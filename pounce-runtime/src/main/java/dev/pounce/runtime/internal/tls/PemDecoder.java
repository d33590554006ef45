package dev.pounce.runtime.internal.tls;

import dev.pounce.runtime.internal.failure.StartFailure;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns PEM blocks into certificates and a private key with the JDK alone, so that both TLS engines get the same
 * objects and every failure is reported with the file and flag at fault. Keys: PKCS#8 ({@code PRIVATE KEY}),
 * password-protected PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 as {@code openssl pkcs8 -topk8} writes it),
 * PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}); the legacy OpenSSL encryption of the last
 * two ({@code Proc-Type: 4,ENCRYPTED}) is refused with the command that converts it.
 */
final class PemDecoder {

    /** Tried in turn on a PKCS#8 key; each factory refuses keys of another algorithm. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem";

    private PemDecoder() {
    }

    /**
     * @param file a file of {@code CERTIFICATE} blocks
     * @return the certificates, in file order, at least one
     * @throws StartFailure if there is none or one is not X.509
     */
    static List<X509Certificate> certificates(PemFile file) throws StartFailure {
        List<PemFile.Block> blocks = file.blocks("CERTIFICATE", "X509 CERTIFICATE");
        if (blocks.isEmpty()) {
            throw file.problem("holds no -----BEGIN CERTIFICATE----- block (it holds " + file.labels() + ")");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemFile.Block b : blocks) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (CertificateException e) {
            throw file.problem("holds a CERTIFICATE block that is not an X.509 certificate: " + e.getMessage());
        }
        return List.copyOf(out);
    }

    /**
     * @param file     a file with one private key block
     * @param password the key's password, for an encrypted key
     * @param passwordFlag the flag that gives the password, for messages
     * @return the key
     * @throws StartFailure if there is no key, it is malformed, or the password is missing or wrong
     */
    static PrivateKey privateKey(PemFile file, Optional<String> password, String passwordFlag)
            throws StartFailure {
        List<PemFile.Block> keys = file.blocks("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
                "EC PRIVATE KEY");
        if (keys.isEmpty()) {
            throw file.problem("holds no private key: expected -----BEGIN PRIVATE KEY----- (or ENCRYPTED, RSA or "
                    + "EC PRIVATE KEY), found " + file.labels());
        }
        if (keys.size() > 1) {
            throw file.problem("holds " + keys.size() + " private keys; give it exactly one");
        }
        PemFile.Block key = keys.getFirst();
        if (key.encrypted()) {
            throw file.problem("is encrypted in the legacy OpenSSL format (Proc-Type: 4,ENCRYPTED), which Pounce "
                    + "does not read; " + CONVERT);
        }
        try {
            return switch (key.label()) {
                case "PRIVATE KEY" -> pkcs8(file, key.der());
                case "ENCRYPTED PRIVATE KEY" -> encryptedPkcs8(file, key.der(), password, passwordFlag);
                case "RSA PRIVATE KEY" -> pkcs8(file, Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {0}),
                        Der.RSA_ALGORITHM, Der.encode(Der.OCTET_STRING, key.der())));
                default -> sec1(file, key.der());
            };
        } catch (Der.MalformedDer e) {
            throw file.problem("holds a " + key.label() + " block that is not a valid key: " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8(PemFile file, byte[] der) throws StartFailure {
        var spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException | RuntimeException e) {
                // Not this algorithm; try the next.
            }
        }
        throw file.problem("holds a private key that is not an RSA, EC, EdDSA or DSA key this JVM can read");
    }

    private static PrivateKey encryptedPkcs8(PemFile file, byte[] der, Optional<String> password,
                                             String passwordFlag) throws StartFailure {
        if (password.isEmpty()) {
            throw file.problem("is encrypted; give its password with " + passwordFlag);
        }
        EncryptedPrivateKeyInfo info;
        String algorithm;
        try {
            info = new EncryptedPrivateKeyInfo(der);
            algorithm = info.getAlgName();
            // PBES2 (RFC 8018) names its real scheme in its parameters, such as PBEWithHmacSHA256AndAES_256.
            if (algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13")) {
                algorithm = info.getAlgParameters().toString();
            }
        } catch (IOException | RuntimeException e) {
            throw file.problem("holds an ENCRYPTED PRIVATE KEY block that is not PKCS#8: " + e.getMessage());
        }
        PKCS8EncodedKeySpec spec;
        try {
            var secret = SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password.get().toCharArray()));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            spec = info.getKeySpec(cipher);
        } catch (NoSuchAlgorithmException e) {
            throw file.problem("is encrypted with " + algorithm + ", which this JVM cannot decrypt; " + CONVERT
                    + " -v2 aes-256-cbc");
        } catch (InvalidKeySpecException e) {
            throw file.problem("cannot be decrypted: wrong password (" + passwordFlag + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw file.problem("cannot be decrypted (" + passwordFlag + "): " + e.getMessage());
        }
        try {
            return pkcs8(file, spec.getEncoded());
        } catch (StartFailure e) {
            // A wrong password that happens to leave valid padding decrypts to noise.
            throw file.problem("cannot be decrypted: wrong password (" + passwordFlag + ")");
        }
    }

    /** SEC1 (RFC 5915): the curve is in the key's {@code [0]} field or in an {@code EC PARAMETERS} block. */
    private static PrivateKey sec1(PemFile file, byte[] der) throws StartFailure, Der.MalformedDer {
        byte[] curve = null;
        for (Der.Element e : Der.read(der).children()) {
            if (e.tag() == Der.CONTEXT_0) {
                curve = e.content();
            }
        }
        if (curve == null) {
            List<PemFile.Block> params = file.blocks("EC PARAMETERS");
            if (params.isEmpty()) {
                throw file.problem("holds an EC PRIVATE KEY without its curve; " + CONVERT);
            }
            curve = params.getFirst().der();
        }
        if (Der.read(curve).tag() != Der.OID) {
            throw file.problem("holds an EC key on explicit curve parameters; only named curves are supported");
        }
        return pkcs8(file, Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {0}),
                Der.encode(Der.SEQUENCE, Der.EC_PUBLIC_KEY, curve), Der.encode(Der.OCTET_STRING, der)));
    }

    /**
     * Whether the private key belongs to the certificate's public key: same RSA modulus, or a signature made with
     * the key verifies with the certificate. Keys of kinds not covered here are left for the TLS engine to judge.
     *
     * @param key  the private key
     * @param cert the leaf certificate
     * @return false only when they certainly do not match
     */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        PublicKey pub = cert.getPublicKey();
        if (key instanceof RSAKey rsa) {
            return pub instanceof RSAKey p && rsa.getModulus().equals(p.getModulus());
        }
        String signature = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> "";
        };
        if (signature.isEmpty()) {
            return true;
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            var signer = Signature.getInstance(signature);
            signer.initSign(key);
            signer.update(data);
            byte[] signed = signer.sign();
            var verifier = Signature.getInstance(signature);
            verifier.initVerify(pub);
            verifier.update(data);
            return verifier.verify(signed);
        } catch (GeneralSecurityException e) {
            // An EC key against an RSA certificate, or the like.
            return false;
        }
    }
}
