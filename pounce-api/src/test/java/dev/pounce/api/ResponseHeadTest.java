package dev.pounce.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a response-start hook may do to a response head, and how {@link App#with} stacks middleware. */
class ResponseHeadTest {

    @Test
    void setIfAbsentNeverReplacesAField() {
        var head = new ResponseHead(200, Headers.of("X-Frame-Options", "SAMEORIGIN"));
        assertFalse(head.setIfAbsent("x-frame-options", "DENY"), "any case names the same field");
        assertTrue(head.setIfAbsent("referrer-policy", "no-referrer"));
        assertEquals(List.of("SAMEORIGIN"), head.headers().all("x-frame-options"));
        assertEquals(List.of("no-referrer"), head.headers().all("referrer-policy"));
        assertEquals(200, head.status());
    }

    @Test
    void replaceAndRemoveTakeEveryValue() {
        var head = new ResponseHead(200, Headers.of("x-a", "1", "x-b", "keep", "x-a", "2"));
        head.replace("X-A", "3");
        assertEquals(List.of("3"), head.headers().all("x-a"));
        head.remove("x-a");
        assertFalse(head.has("x-a"));
        assertEquals(List.of("keep"), head.headers().all("x-b"));
    }

    @Test
    void addToListKeepsTheTokensThereAndAddsAMissingOneOnce() {
        var head = new ResponseHead(200, Headers.of("vary", "Accept-Encoding, origin"));
        head.addToList("vary", "Origin");
        assertEquals(List.of("Accept-Encoding, origin"), head.headers().all("vary"), "already listed, in any case");
        head.addToList("vary", "Accept-Language");
        assertEquals(List.of("Accept-Encoding, origin", "Accept-Language"), head.headers().all("vary"));
        var star = new ResponseHead(200, Headers.of("vary", "*"));
        star.addToList("vary", "Origin");
        assertEquals(List.of("*"), star.headers().all("vary"), "* already varies on everything");
    }

    @Test
    void aBadValueIsRefusedAsHeadersRefuseIt() {
        var head = new ResponseHead(200, Headers.empty());
        assertThrows(IllegalArgumentException.class, () -> head.setIfAbsent("x-split", "a\r\nx-evil: 1"));
    }

    @Test
    void withStacksOutermostFirstAndServesTheSameApp() throws Exception {
        Middleware a = new Middleware() { };
        Middleware b = new Middleware() { };
        Middleware c = new Middleware() { };
        App app = (scope, receive, send) -> { };
        assertEquals(List.of(), app.middleware());
        assertEquals(List.of(a, b, c), app.with(c).with(a, b).middleware());
        assertEquals(app.with(a, b, c).middleware(), app.with(c).with(b).with(a).middleware());
        App stacked = app.with(a);
        assertSame(app, ((MiddlewareStack) stacked.with(b)).app(), "stacks never nest");
        assertThrows(NullPointerException.class, () -> app.with(a, null));
    }
}
