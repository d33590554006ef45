package dev.pounce.h3;

import java.time.Duration;

/**
 * HTTP/3's settings: the frozen record of the {@code http3} config section ({@link Http3Section}), which the runtime
 * builds once at startup and every worker reads with {@code config.section(Http3Config.SECTION)}. Each value's flag,
 * range, unit and source are on the matching {@link Http3Section} setting.
 *
 * @param enabled                whether HTTP/3 is served at all; {@code --http3} turns it on; default off
 * @param altSvcMaxAge           how long clients may remember the {@code Alt-Svc} advertisement ({@code ma}, RFC 7838
 *                               section 3); default 1 day
 * @param maxConcurrentStreams   request streams a client may have open at once: QUIC's initial_max_streams_bidi
 *                               (RFC 9000 section 18.2), renewed as streams finish; default 128
 * @param idleTimeout            a connection with no packet for this long is closed: QUIC's max_idle_timeout (RFC 9000
 *                               section 10.1); default 30 s
 * @param streamWindow           each request stream's receive window: initial_max_stream_data_bidi_remote; default
 *                               256 KiB
 * @param connectionWindow       the connection's receive window, shared by its streams: initial_max_data; default
 *                               4 MiB
 * @param qpackMaxTableCapacity  SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 section 5): the dynamic table a client may
 *                               fill; 0, the default, for the static table only
 * @param qpackBlockedStreams    SETTINGS_QPACK_BLOCKED_STREAMS: streams that may wait for the dynamic table; default 0
 * @param earlyData              whether 0-RTT is accepted (RFC 9001 section 4.6); requests read before the handshake
 *                               completes are served only for safe methods, others get 425 (RFC 8470); default off
 * @param receiveBuffer          SO_RCVBUF asked for each UDP socket, in bytes (Linux caps it at
 *                               {@code net.core.rmem_max}); 0 keeps the kernel's default; default 4 MiB
 */
public record Http3Config(boolean enabled, Duration altSvcMaxAge, int maxConcurrentStreams, Duration idleTimeout,
                          int streamWindow, int connectionWindow, int qpackMaxTableCapacity,
                          int qpackBlockedStreams, boolean earlyData, int receiveBuffer) {

    /** The section to read these settings with: {@code config.section(Http3Config.SECTION)}. */
    public static final Http3Section SECTION = new Http3Section();
}
