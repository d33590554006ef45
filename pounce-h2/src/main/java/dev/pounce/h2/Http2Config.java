package dev.pounce.h2;

import java.time.Duration;

/**
 * HTTP/2's settings and the limits that defend against known attacks: the frozen record of the {@code http2} config
 * section ({@link Http2Section}), which the runtime builds once at startup and every connection reads with
 * {@code config.section(Http2Config.SECTION)}. Each value's flag, range, unit and source are on the matching
 * {@link Http2Section} setting.
 *
 * @param enabled                whether HTTP/2 is offered at all (by ALPN, prior knowledge and h2c upgrade);
 *                               {@code --no-http2} turns it off; default on
 * @param maxConcurrentStreams   SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 section 6.5.2); default 128
 * @param maxHeaderListSize      SETTINGS_MAX_HEADER_LIST_SIZE, bytes of decoded headers per request, also what
 *                               bounds a CONTINUATION flood (CVE-2024-27316); default 65536
 * @param headerTableSize        SETTINGS_HEADER_TABLE_SIZE, the HPACK dynamic table (RFC 7541 section 4.2);
 *                               default 4096
 * @param maxFrameSize           SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215; default 16384
 * @param initialWindowSize      SETTINGS_INITIAL_WINDOW_SIZE, each stream's receive window; default 65535
 * @param connectionWindowSize   the connection's receive window (RFC 9113 section 6.9); default 1 MiB
 * @param maxResetsPerWindow     streams a client may reset per {@link #resetWindow} before it gets GOAWAY
 *                               (rapid reset, CVE-2023-44487); default 200
 * @param resetWindow            the window for {@link #maxResetsPerWindow}, whole seconds; default 30 s
 * @param maxEmptyFrames         consecutive empty DATA frames allowed (CVE-2019-9518); default 2
 * @param maxQueuedControlFrames control frames (SETTINGS/PING ACKs, RST) queued for a client that does not read
 *                               before the connection is closed (CVE-2019-9512, 9515); default 10000
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int maxHeaderListSize, int headerTableSize,
                          int maxFrameSize, int initialWindowSize, int connectionWindowSize, int maxResetsPerWindow,
                          Duration resetWindow, int maxEmptyFrames, int maxQueuedControlFrames) {

    /** The section to read these settings with: {@code config.section(Http2Config.SECTION)}. */
    public static final Http2Section SECTION = new Http2Section();
}
