package dev.pounce.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadersTest {

    @Test
    void namesAreLowerCasedAndOrderAndRepeatsKept() {
        var h = Headers.of("Content-Type", "text/plain", "Set-Cookie", "a=1", "set-cookie", "b=2");
        assertEquals(3, h.size());
        assertEquals("content-type", h.name(0));
        assertEquals(Optional.of("text/plain"), h.first("CONTENT-TYPE"));
        assertEquals(List.of("a=1", "b=2"), h.all("Set-Cookie"));
        assertTrue(h.contains("set-cookie"));
        assertFalse(h.contains("x-missing"));
    }

    @Test
    void valuesCannotSplitAResponse() {
        assertThrows(IllegalArgumentException.class, () -> Headers.of("x", "a\r\nSet-Cookie: evil=1"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("x", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("x", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("x:y", "v"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("odd"));
    }

    @Test
    void withAppendsAChecked() {
        var h = Headers.empty().with("X-A", "1");
        assertEquals("x-a", h.name(0));
        assertThrows(IllegalArgumentException.class, () -> h.with("x", "\r"));
    }
}
