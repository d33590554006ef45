package dev.pounce.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The page of {@code GET /ws-demo}, read once from {@code ws-demo.html} beside this class. */
final class WsDemoPage {

    /** The page, UTF-8 HTML. */
    static final String HTML = load();

    private WsDemoPage() {
    }

    private static String load() {
        try (InputStream in = WsDemoPage.class.getResourceAsStream("ws-demo.html")) {
            if (in == null) {
                throw new IllegalStateException("ws-demo.html is missing from the demo jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
