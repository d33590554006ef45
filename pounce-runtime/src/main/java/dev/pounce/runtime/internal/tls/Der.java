package dev.pounce.runtime.internal.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER (ITU-T X.690) to turn a PKCS#1 or SEC1 private key into PKCS#8, which is all the JDK's
 * {@link java.security.KeyFactory} reads: single-byte tags, definite lengths.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} of SEC1's ECPrivateKey: the curve. */
    static final int CONTEXT_0 = 0xa0;

    /** 1.2.840.113549.1.1.1 rsaEncryption (RFC 8017 appendix C), with its NULL parameters. */
    static final byte[] RSA_ALGORITHM = encode(SEQUENCE,
            new byte[] {OID, 9, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1}, new byte[] {5, 0});
    /** 1.2.840.10045.2.1 id-ecPublicKey (RFC 5480 section 2.1.1). */
    static final byte[] EC_PUBLIC_KEY = {OID, 7, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1};

    /** One element: its tag and where its content lies in {@code source}. */
    record Element(int tag, byte[] source, int start, int end, int contentStart) {
        byte[] content() {
            return Arrays.copyOfRange(source, contentStart, end);
        }

        byte[] encoded() {
            return Arrays.copyOfRange(source, start, end);
        }

        List<Element> children() throws MalformedDer {
            List<Element> out = new ArrayList<>();
            int at = contentStart;
            while (at < end) {
                Element e = read(source, at, end);
                out.add(e);
                at = e.end;
            }
            return out;
        }
    }

    /** The bytes are not the DER structure expected. */
    static final class MalformedDer extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedDer(String message) {
            super(message);
        }
    }

    private Der() {
    }

    static Element read(byte[] der) throws MalformedDer {
        return read(der, 0, der.length);
    }

    private static Element read(byte[] b, int at, int limit) throws MalformedDer {
        if (at + 2 > limit) {
            throw new MalformedDer("truncated DER");
        }
        int tag = b[at] & 0xff;
        int length = b[at + 1] & 0xff;
        int content = at + 2;
        if (length > 0x80) {
            int octets = length & 0x7f;
            if (octets > 3 || content + octets > limit) {
                throw new MalformedDer("bad DER length");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (b[content++] & 0xff);
            }
        } else if (length == 0x80) {
            throw new MalformedDer("indefinite DER length");
        }
        if (content + length > limit) {
            throw new MalformedDer("truncated DER");
        }
        return new Element(tag, b, at, content + length, content);
    }

    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        var out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
