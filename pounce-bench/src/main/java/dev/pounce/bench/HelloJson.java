package dev.pounce.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code GET /json} answer that {@code compare.sh} asks of both sides: a small object serialised on every
 * request, by the same hand-written writer in raw Netty ({@link RawNettyHello}, {@link RawNettyH2Hello}) and in
 * Pounce ({@link CompareApp}), so the comparison charges both servers the same work. There is no JSON library in
 * the build, and one written for one side only would measure the library, not the server.
 */
public final class HelloJson {

    /** The body of {@code GET /plaintext} on both sides, the same bytes as the demo's {@code GET /}. */
    public static final byte[] PLAINTEXT = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);

    private HelloJson() {
    }

    /**
     * The object serialised per request, as TechEmpower's JSON test has it.
     *
     * @param message the greeting
     */
    public record Greeting(String message) {
    }

    /**
     * A fresh greeting, serialised: {@code {"message":"Hello, World!"}}.
     *
     * @return the UTF-8 bytes of a new object's JSON
     */
    public static byte[] greeting() {
        return write(new Greeting("Hello, World!"));
    }

    /**
     * Writes a greeting as a JSON object, escaping its string as RFC 8259 section 7 requires.
     *
     * @param greeting what to write
     * @return its UTF-8 JSON bytes
     */
    public static byte[] write(Greeting greeting) {
        var out = new ByteArrayOutputStream(32);
        out.writeBytes("{\"message\":".getBytes(StandardCharsets.US_ASCII));
        writeString(out, greeting.message());
        out.write('}');
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                default -> {
                    if (c < 0x20) {
                        out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
                    } else if (c < 0x80) {
                        out.write(c);
                    } else {
                        int codePoint = s.codePointAt(i);
                        out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                        i += Character.charCount(codePoint) - 1;
                    }
                }
            }
        }
        out.write('"');
    }
}
