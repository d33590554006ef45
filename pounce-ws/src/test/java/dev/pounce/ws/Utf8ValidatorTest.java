package dev.pounce.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest {

    private static boolean valid(byte[] bytes, int splitAt) {
        var v = new Utf8Validator();
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        return v.update(buf, 0, splitAt) && v.update(buf, splitAt, bytes.length) && v.complete();
    }

    private static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void knownCases() {
        String[] good = {"", "41", "c2a9", "e282ac", "f09f9880", "efbfbf", "f48fbfbf", "cebae1bdb9cf83cebcceb5"};
        String[] bad = {"80", "c0af", "c1bf", "e080af", "eda080", "edbfbf", "f08f8080", "f4908080", "f5", "ff",
                "c2", "e282", "f09f98"};
        for (String hex : good) {
            assertTrue(valid(HexFormat.of().parseHex(hex), 0), hex);
        }
        for (String hex : bad) {
            assertFalse(valid(HexFormat.of().parseHex(hex), 0), hex);
        }
    }

    /** Fails on the byte that makes it invalid, before the rest arrives (RFC 6455 section 8.1). */
    @Test
    void failsFastOnTheFirstBadByte() {
        var v = new Utf8Validator();
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5f4908080"));
        assertTrue(v.update(buf, 0, 12), "the first twelve bytes can still become UTF-8");
        assertFalse(v.update(buf, 12, 13), "0xF4 0x90 is above U+10FFFF");
    }

    /** Random byte strings, split at every place: the same verdict as the JDK's strict decoder. */
    @Test
    void agreesWithTheJdkDecoderOnRandomInputSplitAnywhere() {
        var random = new Random(6455);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int k = 0; k < bytes.length; k++) {
                // Mostly bytes near the interesting boundaries.
                bytes[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128));
            }
            boolean expected = jdkValid(bytes);
            for (int split = 0; split <= bytes.length; split++) {
                assertEquals(expected, valid(bytes, split), HexFormat.of().formatHex(bytes) + " split " + split);
            }
        }
    }
}
