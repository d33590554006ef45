package dev.pounce.runtime.internal.tls;

import dev.pounce.runtime.internal.failure.StartFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEM file named by a flag, read whole into its blocks (RFC 7468). Every problem becomes a
 * {@link StartFailure} whose one line names the flag and the file, so an operator knows which to fix.
 *
 * @param flag   the command-line flag that named the file, such as {@code --ssl-certfile}
 * @param path   the file
 * @param blocks its PEM blocks, in file order
 */
record PemFile(String flag, Path path, List<Block> blocks) {

    /** Files larger than this are not certificates or keys. */
    private static final long MAX_SIZE = 1 << 20;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /**
     * One {@code -----BEGIN label-----} block.
     *
     * @param label     such as {@code CERTIFICATE} or {@code PRIVATE KEY}
     * @param encrypted whether it carries the legacy OpenSSL {@code Proc-Type: 4,ENCRYPTED} header
     * @param der       the decoded contents
     */
    record Block(String label, boolean encrypted, byte[] der) {
    }

    /**
     * Reads and splits a PEM file.
     *
     * @param flag the flag that named it, for messages
     * @param path the file
     * @return its blocks, at least one
     * @throws StartFailure if it is missing, unreadable or holds no PEM block
     */
    static PemFile read(String flag, Path path) throws StartFailure {
        String text;
        try {
            if (Files.isDirectory(path)) {
                throw problem(flag, path, "is a directory, not a PEM file");
            }
            if (Files.size(path) > MAX_SIZE) {
                throw problem(flag, path, "is larger than 1 MiB, which no PEM certificate or key is");
            }
            text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw problem(flag, path, "does not exist");
        } catch (AccessDeniedException e) {
            throw problem(flag, path, "cannot be read: permission denied");
        } catch (IOException e) {
            throw problem(flag, path, "cannot be read: " + e.getMessage());
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type: 4,ENCRYPTED");
            // RFC 7468 tolerates RFC 1421 "Name: value" header lines before the base64, which never holds ':'.
            String base64 = String.join("", body.lines().filter(l -> l.indexOf(':') < 0).map(String::strip).toList());
            try {
                blocks.add(new Block(m.group(1), encrypted, Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw problem(flag, path, "is not valid PEM: the " + m.group(1) + " block is not base64 ("
                        + e.getMessage() + ")");
            }
        }
        if (blocks.isEmpty()) {
            throw problem(flag, path, "is not a PEM file: it has no -----BEGIN ...----- block"
                    + (text.startsWith("0\u0082") || text.startsWith("0\u0080") ? " (it looks like binary DER; "
                    + "convert it with openssl x509 -inform der or openssl pkey -inform der)" : ""));
        }
        return new PemFile(flag, path, List.copyOf(blocks));
    }

    /** @return the blocks with one of these labels */
    List<Block> blocks(String... labels) {
        return blocks.stream().filter(b -> List.of(labels).contains(b.label())).toList();
    }

    /** @return the labels present, for messages such as "it holds PRIVATE KEY" */
    String labels() {
        return String.join(", ", blocks.stream().map(Block::label).distinct().toList());
    }

    /**
     * @param what what is wrong, finishing the sentence "--flag file ..."
     * @return the exception to throw
     */
    StartFailure problem(String what) {
        return problem(flag, path, what);
    }

    static StartFailure problem(String flag, Path path, String what) {
        return new StartFailure(flag + " " + path + " " + what);
    }
}
