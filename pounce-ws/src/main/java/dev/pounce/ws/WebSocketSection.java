package dev.pounce.ws;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.time.Duration;
import java.util.List;

/**
 * The WebSocket settings section, {@code ws}: found by ServiceLoader, shown by {@code pounce --help}, each key a
 * flag ({@code ws.max-message-size} is {@code --ws-max-message-size}).
 */
public final class WebSocketSection implements ConfigSection<WebSocketConfig> {

    private static final int MIB = 1 << 20;
    private static final int MAX_SIZE = 1 << 30;

    static final Setting<Boolean> ENABLED = Setting.toggle("ws.enabled", true)
            .describe("Take WebSocket handshakes (HTTP/1.1 Upgrade, HTTP/2 extended CONNECT)")
            .reference("RFC 6455, RFC 8441");
    static final Setting<Integer> MAX_MESSAGE = Setting.integer("ws.max-message-size", 16 * MIB, 1, MAX_SIZE)
            .describe("Largest message a client may send, after decompression; beyond it the session closes with 1009")
            .unit("bytes").reference("RFC 6455 section 7.4.1");
    static final Setting<Integer> MAX_FRAME = Setting.integer("ws.max-frame-size", 16 * MIB, 125, MAX_SIZE)
            .describe("Largest frame payload a client may send; beyond it the session closes with 1009")
            .unit("bytes").reference("RFC 6455 section 5.2");
    static final Setting<Boolean> DEFLATE = Setting.toggle("ws.per-message-deflate", true)
            .describe("Compress messages when the client offers permessage-deflate")
            .reference("RFC 7692");
    static final Setting<Integer> DEFLATE_WINDOW = Setting.integer("ws.deflate-window-bits", 15, 8, 15)
            .describe("LZ77 window the server compresses with; below 15 no context is kept between messages")
            .unit("bits").reference("RFC 7692 section 7.1.2.1");
    static final Setting<Boolean> DEFLATE_TAKEOVER = Setting.toggle("ws.deflate-context-takeover", true)
            .describe("Keep the server's compression context between messages (about 256 KiB per session that "
                    + "compresses); off answers server_no_context_takeover")
            .reference("RFC 7692 section 7.1.1.1");
    static final Setting<Integer> DEFLATE_CLIENT_WINDOW = Setting.integer("ws.deflate-client-window-bits", 15, 8, 15)
            .describe("LZ77 window asked of a client that offers client_max_window_bits")
            .unit("bits").reference("RFC 7692 section 7.1.2.2");
    static final Setting<Boolean> DEFLATE_CLIENT_TAKEOVER = Setting.toggle("ws.deflate-client-context-takeover", true)
            .describe("Let clients keep their compression context between messages; off answers "
                    + "client_no_context_takeover and keeps no decompressor per session")
            .reference("RFC 7692 section 7.1.1.2");
    static final Setting<Integer> DEFLATE_MIN_SIZE = Setting.integer("ws.deflate-min-size", 1024, 0, MAX_SIZE)
            .describe("Messages shorter than this are sent uncompressed")
            .unit("bytes").reference("RFC 7692 section 6");
    static final Setting<Duration> PING_INTERVAL = Setting.seconds("ws.ping-interval", Duration.ofSeconds(20),
                    Duration.ZERO, Duration.ofDays(1))
            .describe("How often the server pings an open session; 0 for never")
            .reference("RFC 6455 section 5.5.2");
    static final Setting<Duration> PING_TIMEOUT = Setting.seconds("ws.ping-timeout", Duration.ofSeconds(20),
                    Duration.ofMillis(100), Duration.ofDays(1))
            .describe("How long after a ping the client may stay silent before the session is cut as dead");
    static final Setting<Duration> CLOSE_TIMEOUT = Setting.seconds("ws.close-timeout", Duration.ofSeconds(5),
                    Duration.ofMillis(100), Duration.ofMinutes(10))
            .describe("How long the server waits for the answer to its close frame before it cuts the connection, "
                    + "and how long a client's close waits for the app to take the messages before it")
            .reference("RFC 6455 section 7.1.1");

    /** The instance the plugin reads its settings with. */
    public static final WebSocketSection SECTION = new WebSocketSection();

    /** Made by ServiceLoader. */
    public WebSocketSection() {
    }

    @Override
    public String name() {
        return "ws";
    }

    @Override
    public String title() {
        return "WebSocket (dev.pounce.ws)";
    }

    @Override
    public Class<WebSocketConfig> type() {
        return WebSocketConfig.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(ENABLED, MAX_MESSAGE, MAX_FRAME, DEFLATE, DEFLATE_WINDOW, DEFLATE_TAKEOVER,
                DEFLATE_CLIENT_WINDOW, DEFLATE_CLIENT_TAKEOVER, DEFLATE_MIN_SIZE, PING_INTERVAL, PING_TIMEOUT,
                CLOSE_TIMEOUT);
    }

    @Override
    public WebSocketConfig build(SectionValues values) {
        int window = values.get(DEFLATE_WINDOW);
        boolean takeover = values.get(DEFLATE_TAKEOVER);
        if (window < 15 && takeover && values.given(DEFLATE_TAKEOVER)) {
            throw new ConfigException(DEFLATE_TAKEOVER.key(), DEFLATE_TAKEOVER.key() + " needs "
                    + DEFLATE_WINDOW.key() + " 15: the JDK compressor keeps a 32 KiB window, so a smaller one is "
                    + "honoured by compressing each message afresh");
        }
        var deflate = new WebSocketConfig.Deflate(values.get(DEFLATE), window, takeover && window == 15,
                values.get(DEFLATE_CLIENT_WINDOW), values.get(DEFLATE_CLIENT_TAKEOVER), values.get(DEFLATE_MIN_SIZE));
        return new WebSocketConfig(values.get(ENABLED), values.get(MAX_MESSAGE), values.get(MAX_FRAME), deflate,
                values.get(PING_INTERVAL), values.get(PING_TIMEOUT), values.get(CLOSE_TIMEOUT));
    }
}
