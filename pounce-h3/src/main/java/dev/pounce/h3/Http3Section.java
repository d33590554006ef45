package dev.pounce.h3;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.time.Duration;
import java.util.List;

/**
 * HTTP/3's config section, {@code http3}: its flags ({@code --http3}, {@code --http3-max-concurrent-streams}, ...) in
 * {@code pounce --help} under "HTTP/3 (dev.pounce.h3)", and the {@link Http3Config} they build. Found by
 * {@link java.util.ServiceLoader} by the runtime and the {@code pounce} command, which build it once at startup; the
 * plugin reads it through {@link Http3Config#SECTION}. Stateless, and touches nothing of QUIC: a server without
 * {@code --http3} reads these settings and never loads the native library.
 */
public final class Http3Section implements ConfigSection<Http3Config> {

    /** Whether HTTP/3 is served; its flags are {@code --http3} and {@code --no-http3}. */
    public static final Setting<Boolean> ENABLED = Setting.toggle("http3.enabled", false)
            .describe("Serve HTTP/3 over QUIC on UDP, on the same host and port as TCP; needs --ssl-certfile and "
                    + "--ssl-keyfile (QUIC is always TLS 1.3)")
            .reference("RFC 9114");

    /** The {@code ma} of the {@code Alt-Svc} advertisement. */
    public static final Setting<Duration> ALT_SVC_MAX_AGE =
            Setting.seconds("http3.alt-svc-max-age", Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofDays(365))
                    .describe("How long clients may remember that HTTP/3 is offered (the Alt-Svc ma parameter that "
                            + "HTTP/1.1 and HTTP/2 responses carry while HTTP/3 is on), whole seconds")
                    .reference("RFC 7838 section 3");

    /** initial_max_streams_bidi. */
    public static final Setting<Integer> MAX_CONCURRENT_STREAMS =
            Setting.integer("http3.max-concurrent-streams", 128, 1, 1 << 20)
                    .describe("Request streams a client may have open at once; QUIC gives a client more as its "
                            + "streams finish")
                    .unit("streams").reference("RFC 9000 section 18.2 (initial_max_streams_bidi)");

    /** max_idle_timeout. */
    public static final Setting<Duration> IDLE_TIMEOUT =
            Setting.seconds("http3.idle-timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofDays(1))
                    .describe("A connection that carries no packet for this long is closed")
                    .reference("RFC 9000 section 10.1 (max_idle_timeout)");

    /** initial_max_stream_data_bidi_remote. */
    public static final Setting<Integer> STREAM_WINDOW =
            Setting.integer("http3.stream-window", 256 * 1024, 1024, 1 << 30)
                    .describe("Each request stream's receive window: body bytes a client may send ahead of the app; "
                            + "it opens as the app reads")
                    .unit("bytes").reference("RFC 9000 section 18.2 (initial_max_stream_data_bidi_remote)");

    /** initial_max_data. */
    public static final Setting<Integer> CONNECTION_WINDOW =
            Setting.integer("http3.connection-window", 4 << 20, 16 * 1024, 1 << 30)
                    .describe("The connection's receive window, shared by all its streams")
                    .unit("bytes").reference("RFC 9000 section 18.2 (initial_max_data)");

    /** SETTINGS_QPACK_MAX_TABLE_CAPACITY. */
    public static final Setting<Integer> QPACK_MAX_TABLE_CAPACITY =
            Setting.integer("http3.qpack-max-table-capacity", 0, 0, 1 << 20)
                    .describe("The QPACK dynamic table a client may fill per connection; 0 for the static table "
                            + "only")
                    .unit("bytes").reference("RFC 9204 section 5");

    /** SETTINGS_QPACK_BLOCKED_STREAMS. */
    public static final Setting<Integer> QPACK_BLOCKED_STREAMS =
            Setting.integer("http3.qpack-blocked-streams", 0, 0, 1 << 16)
                    .describe("Streams whose headers may wait for QPACK dynamic table updates; needs "
                            + "--http3-qpack-max-table-capacity above 0")
                    .unit("streams").reference("RFC 9204 section 5");

    /** Whether 0-RTT is accepted; its flags are {@code --http3-early-data} and {@code --no-http3-early-data}. */
    public static final Setting<Boolean> EARLY_DATA = Setting.toggle("http3.early-data", false)
            .describe("Accept requests in 0-RTT (TLS 1.3 early data) from clients resuming a session: an attacker "
                    + "can replay them, so only GET, HEAD, OPTIONS and TRACE are served (with early-data: 1 for the "
                    + "app), any other method gets 425 Too Early and the client retries after the handshake")
            .reference("RFC 9001 section 4.6, RFC 8470");

    /** SO_RCVBUF of the UDP sockets. */
    public static final Setting<Integer> RECEIVE_BUFFER =
            Setting.integer("http3.receive-buffer", 4 << 20, 0, 1 << 30)
                    .describe("The receive buffer asked for each UDP socket (SO_RCVBUF), where the kernel keeps "
                            + "datagrams until the worker reads them; Linux caps it at net.core.rmem_max, and the "
                            + "effective size is logged at startup; 0 keeps the kernel's default, else at least 4096")
                    .unit("bytes").reference("socket(7) SO_RCVBUF");

    /** Below this a socket holds fewer than three full-size datagrams; the kernel would raise it anyway. */
    static final int MIN_RECEIVE_BUFFER = 4096;

    private static final List<Setting<?>> SETTINGS = List.of(ENABLED, ALT_SVC_MAX_AGE, MAX_CONCURRENT_STREAMS,
            IDLE_TIMEOUT, STREAM_WINDOW, CONNECTION_WINDOW, QPACK_MAX_TABLE_CAPACITY, QPACK_BLOCKED_STREAMS,
            EARLY_DATA, RECEIVE_BUFFER);

    /** Creates the section; called by {@link java.util.ServiceLoader}, and once for {@link Http3Config#SECTION}. */
    public Http3Section() {
    }

    /** @return {@code http3} */
    @Override
    public String name() {
        return "http3";
    }

    /** @return {@code HTTP/3 (dev.pounce.h3)} */
    @Override
    public String title() {
        return "HTTP/3 (dev.pounce.h3)";
    }

    @Override
    public Class<Http3Config> type() {
        return Http3Config.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    /**
     * Builds the record. Called by the runtime once per server (and in each process worker), on the thread that
     * starts it.
     *
     * @throws ConfigException naming {@code http3.alt-svc-max-age} when it is not a whole number of seconds, or
     *                         {@code http3.qpack-blocked-streams} when it is set without a dynamic table, or
     *                         {@code http3.receive-buffer} between 1 and 4095
     */
    @Override
    public Http3Config build(SectionValues values) {
        Duration maxAge = values.get(ALT_SVC_MAX_AGE);
        if (maxAge.toMillis() % 1000 != 0) {
            throw new ConfigException(ALT_SVC_MAX_AGE.key(), ALT_SVC_MAX_AGE.key()
                    + " must be a whole number of seconds, got " + maxAge.toMillis() / 1000.0);
        }
        int capacity = values.get(QPACK_MAX_TABLE_CAPACITY);
        int blocked = values.get(QPACK_BLOCKED_STREAMS);
        if (blocked > 0 && capacity == 0) {
            throw new ConfigException(QPACK_BLOCKED_STREAMS.key(), QPACK_BLOCKED_STREAMS.key()
                    + " needs http3.qpack-max-table-capacity above 0: without a dynamic table no stream waits");
        }
        int receiveBuffer = values.get(RECEIVE_BUFFER);
        if (receiveBuffer > 0 && receiveBuffer < MIN_RECEIVE_BUFFER) {
            throw new ConfigException(RECEIVE_BUFFER.key(), RECEIVE_BUFFER.key() + " must be 0 (the kernel's default) "
                    + "or at least " + MIN_RECEIVE_BUFFER + " bytes, got " + receiveBuffer);
        }
        return new Http3Config(values.get(ENABLED), maxAge, values.get(MAX_CONCURRENT_STREAMS),
                values.get(IDLE_TIMEOUT), values.get(STREAM_WINDOW), values.get(CONNECTION_WINDOW), capacity, blocked,
                values.get(EARLY_DATA), receiveBuffer);
    }
}
