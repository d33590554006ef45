package dev.pounce.runtime.internal.bridge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestPathsTest {

    @Test
    void splitsPathAndQuery() {
        assertEquals("/a/b", RequestPaths.rawPath("/a/b?x=1&y=2"));
        assertEquals("x=1&y=2", RequestPaths.query("/a/b?x=1&y=2"));
        assertEquals("", RequestPaths.query("/a/b"));
        assertEquals("/a", RequestPaths.rawPath("/a?"));
        assertEquals("", RequestPaths.query("/a?"));
    }

    @Test
    void decodesUtf8PercentEscapes() {
        assertEquals("/caf\u00e9 au lait", RequestPaths.decode("/caf%C3%A9%20au%20lait"));
        assertEquals("/a/b", RequestPaths.decode("/a%2fb".replace("%2f", "/")));
        assertEquals("/50%/x", RequestPaths.decode("/50%/x"));
        assertEquals("/%zz", RequestPaths.decode("/%zz"));
        assertEquals("/trailing%2", RequestPaths.decode("/trailing%2"));
        assertEquals("/a+b", RequestPaths.decode("/a+b"));
    }
}
