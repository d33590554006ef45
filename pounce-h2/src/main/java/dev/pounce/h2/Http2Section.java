package dev.pounce.h2;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.time.Duration;
import java.util.List;

/**
 * HTTP/2's config section, {@code http2}: its flags ({@code --no-http2}, {@code --http2-max-concurrent-streams}, ...)
 * in {@code pounce --help} under "HTTP/2 (dev.pounce.h2)", and the {@link Http2Config} they build. Found by
 * {@link java.util.ServiceLoader} by the runtime and the {@code pounce} command, which build it once at startup;
 * the plugin reads it through {@link Http2Config#SECTION}. Stateless.
 */
public final class Http2Section implements ConfigSection<Http2Config> {

    /** Whether HTTP/2 is offered; its flags are {@code --http2} and {@code --no-http2}. */
    public static final Setting<Boolean> ENABLED = Setting.toggle("http2.enabled", true)
            .describe("Offer HTTP/2: over TLS by ALPN, in cleartext by prior knowledge and by Upgrade: h2c")
            .reference("RFC 9113");

    /** SETTINGS_MAX_CONCURRENT_STREAMS. */
    public static final Setting<Integer> MAX_CONCURRENT_STREAMS =
            Setting.integer("http2.max-concurrent-streams", 128, 1, Integer.MAX_VALUE)
                    .describe("Streams a client may have open at once; a stream beyond them is refused "
                            + "(RST_STREAM REFUSED_STREAM)")
                    .unit("streams").reference("RFC 9113 section 6.5.2");

    /** SETTINGS_MAX_HEADER_LIST_SIZE. */
    public static final Setting<Integer> MAX_HEADER_LIST_SIZE =
            Setting.integer("http2.max-header-list-size", 65536, 1024, 16 << 20)
                    .describe("Decoded size of a request's header fields; larger gets 431, far larger GOAWAY, "
                            + "which also bounds a CONTINUATION flood")
                    .unit("bytes").reference("RFC 9113 section 6.5.2; CVE-2024-27316");

    /** SETTINGS_HEADER_TABLE_SIZE. */
    public static final Setting<Integer> HEADER_TABLE_SIZE =
            Setting.integer("http2.header-table-size", 4096, 0, 1 << 20)
                    .describe("The HPACK dynamic table a client may fill per connection")
                    .unit("bytes").reference("RFC 9113 section 6.5.2; RFC 7541 section 4.2");

    /** SETTINGS_MAX_FRAME_SIZE. */
    public static final Setting<Integer> MAX_FRAME_SIZE =
            Setting.integer("http2.max-frame-size", 16384, 16384, 16_777_215)
                    .describe("The largest frame payload a client may send")
                    .unit("bytes").reference("RFC 9113 section 6.5.2");

    /** SETTINGS_INITIAL_WINDOW_SIZE. */
    public static final Setting<Integer> INITIAL_WINDOW_SIZE =
            Setting.integer("http2.initial-window-size", 65535, 1, Integer.MAX_VALUE)
                    .describe("Each stream's receive window: body bytes a client may send before the app reads")
                    .unit("bytes").reference("RFC 9113 section 6.9.2");

    /** The connection's receive window. */
    public static final Setting<Integer> CONNECTION_WINDOW_SIZE =
            Setting.integer("http2.connection-window-size", 1 << 20, 65535, Integer.MAX_VALUE)
                    .describe("The connection's receive window, shared by all its streams")
                    .unit("bytes").reference("RFC 9113 section 6.9");

    /** The rapid-reset limit. */
    public static final Setting<Integer> MAX_RESETS_PER_WINDOW =
            Setting.integer("http2.max-resets-per-window", 200, 1, Integer.MAX_VALUE)
                    .describe("Streams a client may reset per --http2-reset-window before it gets GOAWAY "
                            + "ENHANCE_YOUR_CALM")
                    .unit("resets").reference("CVE-2023-44487");

    /** The window of the rapid-reset limit. */
    public static final Setting<Duration> RESET_WINDOW =
            Setting.seconds("http2.reset-window", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofDays(1))
                    .describe("The window --http2-max-resets-per-window counts in, whole seconds")
                    .reference("CVE-2023-44487");

    /** The empty DATA flood limit. */
    public static final Setting<Integer> MAX_EMPTY_FRAMES =
            Setting.integer("http2.max-empty-frames", 2, 0, 1000)
                    .describe("Consecutive empty DATA frames without END_STREAM a client may send; 0 for no limit")
                    .unit("frames").reference("CVE-2019-9518");

    /** The limit of control frames queued for a client that does not read. */
    public static final Setting<Integer> MAX_QUEUED_CONTROL_FRAMES =
            Setting.integer("http2.max-queued-control-frames", 10_000, 1, Integer.MAX_VALUE)
                    .describe("Control frames (SETTINGS and PING acknowledgements, RST_STREAM) queued for a client "
                            + "that does not read before its connection is closed")
                    .unit("frames").reference("CVE-2019-9512; CVE-2019-9515");

    private static final List<Setting<?>> SETTINGS = List.of(ENABLED, MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE,
            HEADER_TABLE_SIZE, MAX_FRAME_SIZE, INITIAL_WINDOW_SIZE, CONNECTION_WINDOW_SIZE, MAX_RESETS_PER_WINDOW,
            RESET_WINDOW, MAX_EMPTY_FRAMES, MAX_QUEUED_CONTROL_FRAMES);

    /** Creates the section; called by {@link java.util.ServiceLoader}, and once for {@link Http2Config#SECTION}. */
    public Http2Section() {
    }

    /** @return {@code http2} */
    @Override
    public String name() {
        return "http2";
    }

    /** @return {@code HTTP/2 (dev.pounce.h2)} */
    @Override
    public String title() {
        return "HTTP/2 (dev.pounce.h2)";
    }

    @Override
    public Class<Http2Config> type() {
        return Http2Config.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    /**
     * Builds the record. Called by the runtime once per server (and in each process worker), on the thread that
     * starts it.
     *
     * @throws ConfigException naming {@code http2.reset-window} when it is not a whole number of seconds, which is
     *                         all Netty's reset counter can take
     */
    @Override
    public Http2Config build(SectionValues values) {
        Duration resetWindow = values.get(RESET_WINDOW);
        if (resetWindow.toMillis() % 1000 != 0) {
            throw new ConfigException(RESET_WINDOW.key(), RESET_WINDOW.key() + " must be a whole number of seconds, "
                    + "got " + resetWindow.toMillis() / 1000.0);
        }
        return new Http2Config(values.get(ENABLED), values.get(MAX_CONCURRENT_STREAMS),
                values.get(MAX_HEADER_LIST_SIZE), values.get(HEADER_TABLE_SIZE), values.get(MAX_FRAME_SIZE),
                values.get(INITIAL_WINDOW_SIZE), values.get(CONNECTION_WINDOW_SIZE),
                values.get(MAX_RESETS_PER_WINDOW), resetWindow, values.get(MAX_EMPTY_FRAMES),
                values.get(MAX_QUEUED_CONTROL_FRAMES));
    }
}
