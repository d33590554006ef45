package dev.pounce.api;

import java.time.Duration;

/**
 * HTTP/2 settings and the limits that defend against known attacks. Used by the HTTP/2 plugin when it is present.
 *
 * @param enabled                whether HTTP/2 is offered at all (by ALPN, prior knowledge and h2c upgrade);
 *                               {@code --no-http2} turns it off
 * @param maxConcurrentStreams   SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 section 6.5.2); default 128
 * @param maxHeaderListSize      SETTINGS_MAX_HEADER_LIST_SIZE, bytes of decoded headers per request, also what
 *                               bounds a CONTINUATION flood (CVE-2024-27316); default 65536
 * @param headerTableSize        SETTINGS_HEADER_TABLE_SIZE, the HPACK dynamic table (RFC 7541); default 4096
 * @param maxFrameSize           SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215; default 16384
 * @param initialWindowSize      SETTINGS_INITIAL_WINDOW_SIZE, each stream's receive window; default 65535
 * @param connectionWindowSize   the connection's receive window; default 1 MiB
 * @param maxResetsPerWindow     streams a client may reset per {@link #resetWindow} before it gets GOAWAY
 *                               (rapid reset, CVE-2023-44487); default 200
 * @param resetWindow            the window for {@link #maxResetsPerWindow}; default 30 s
 * @param maxEmptyFrames         consecutive empty DATA frames allowed (CVE-2019-9518); default 2
 * @param maxQueuedControlFrames control frames (SETTINGS/PING ACKs, RST) queued for a client that does not read
 *                               before the connection is closed (CVE-2019-9512, 9515); default 10000
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int maxHeaderListSize, int headerTableSize,
                          int maxFrameSize, int initialWindowSize, int connectionWindowSize, int maxResetsPerWindow,
                          Duration resetWindow, int maxEmptyFrames, int maxQueuedControlFrames) {

    /** The defaults described above. */
    public static final Http2Config DEFAULT = new Http2Config(true, 128, 65536, 4096, 16384, 65535, 1 << 20, 200,
            Duration.ofSeconds(30), 2, 10_000);
}
