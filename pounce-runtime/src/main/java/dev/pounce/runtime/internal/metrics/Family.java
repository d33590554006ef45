package dev.pounce.runtime.internal.metrics;

/**
 * Every metric family the server exposes, in the order of the exposition, with its Prometheus type, its help text and
 * the unit its samples are counted in. The names are the Python Pounce's where it has one ({@code http_requests_total},
 * {@code http_request_duration_seconds}, {@code http_requests_in_flight}, {@code http_connections_active},
 * {@code http_streams_active}, {@code http_bytes_sent_total}), the Prometheus client libraries' for the process and the
 * JVM, and {@code pounce_} names for the rest. Counters end in {@code _total}; times are seconds, sizes bytes.
 */
enum Family {
    HTTP_REQUESTS("http_requests_total", Type.COUNTER, Unit.ONE,
            "HTTP requests served, by method (other for a method outside the standard set), status class (none when "
                    + "the client left before any response) and protocol. Health probes, scrapes and WebSocket "
                    + "sessions are not counted."),
    HTTP_REQUEST_DURATION("http_request_duration_seconds", Type.HISTOGRAM, Unit.NANOS,
            "Time from a request's dispatch to the end of its app call, for the requests of http_requests_total."),
    HTTP_REQUESTS_IN_FLIGHT("http_requests_in_flight", Type.GAUGE, Unit.ONE,
            "HTTP requests whose app call is running."),
    HTTP_REQUESTS_ABORTED("pounce_http_requests_aborted_total", Type.COUNTER, Unit.ONE,
            "HTTP requests whose response was cut short or never sent: the client left, or the app failed after "
                    + "its response started."),
    HTTP_REQUESTS_REJECTED("pounce_http_requests_rejected_total", Type.COUNTER, Unit.ONE,
            "Requests a protocol answered itself for bad input, before any app, by reason."),
    HTTP_BYTES_SENT("http_bytes_sent_total", Type.COUNTER, Unit.ONE,
            "Response body bytes the apps sent, by protocol."),
    HTTP_BYTES_RECEIVED("pounce_http_bytes_received_total", Type.COUNTER, Unit.ONE,
            "Request body bytes delivered to the apps, by protocol."),
    HTTP_CONNECTIONS_ACTIVE("http_connections_active", Type.GAUGE, Unit.ONE,
            "Connections open: TCP, TLS, Unix socket and QUIC."),
    HTTP_CONNECTIONS("pounce_http_connections_total", Type.COUNTER, Unit.ONE,
            "Connections accepted."),
    HTTP_STREAMS_ACTIVE("http_streams_active", Type.GAUGE, Unit.ONE,
            "HTTP/2 and HTTP/3 streams carrying a request or a WebSocket session being served, by protocol."),
    WEBSOCKET_SESSIONS("pounce_websocket_sessions_total", Type.COUNTER, Unit.ONE,
            "WebSocket handshakes answered, by protocol and result: accepted by the app, or denied."),
    WEBSOCKET_SESSIONS_ACTIVE("pounce_websocket_sessions_active", Type.GAUGE, Unit.ONE,
            "WebSocket sessions accepted and not yet over."),
    WEBSOCKET_MESSAGES("pounce_websocket_messages_total", Type.COUNTER, Unit.ONE,
            "Whole WebSocket messages, by direction: received from clients, sent by the apps."),
    WEBSOCKET_MESSAGE_BYTES("pounce_websocket_message_bytes_total", Type.COUNTER, Unit.ONE,
            "Bytes of WebSocket message payloads before compression, by direction."),
    WORKER_RESTARTS("pounce_worker_restarts_total", Type.COUNTER, Unit.ONE,
            "Workers the supervisor restarted after they died."),
    RELOADS("pounce_reloads_total", Type.COUNTER, Unit.ONE,
            "Rolling reloads, by result."),
    PROCESS_CPU("process_cpu_seconds_total", Type.COUNTER, Unit.NANOS,
            "CPU time used, user and system; with process workers, of every process of the server."),
    PROCESS_RESIDENT_MEMORY("process_resident_memory_bytes", Type.GAUGE, Unit.ONE,
            "Resident memory; with process workers, the sum over the server's processes."),
    PROCESS_START_TIME("process_start_time_seconds", Type.GAUGE, Unit.MILLIS,
            "When the server's process started, in seconds since the Unix epoch."),
    PROCESS_OPEN_FDS("process_open_fds", Type.GAUGE, Unit.ONE,
            "Open file descriptors; with process workers, the sum over the server's processes."),
    PROCESS_MAX_FDS("process_max_fds", Type.GAUGE, Unit.ONE,
            "The limit of open file descriptors; with process workers, the sum of the processes' limits."),
    JVM_MEMORY_USED("jvm_memory_used_bytes", Type.GAUGE, Unit.ONE,
            "Memory used, by area (heap, nonheap)."),
    JVM_MEMORY_COMMITTED("jvm_memory_committed_bytes", Type.GAUGE, Unit.ONE,
            "Memory committed, by area (heap, nonheap)."),
    JVM_MEMORY_MAX("jvm_memory_max_bytes", Type.GAUGE, Unit.ONE,
            "The most memory the heap may grow to."),
    JVM_GC_COLLECTION("jvm_gc_collection_seconds", Type.SUMMARY, Unit.MILLIS,
            "Garbage collections and the time they took, by collector."),
    JVM_THREADS_CURRENT("jvm_threads_current", Type.GAUGE, Unit.ONE,
            "Live platform threads."),
    JVM_THREADS_STARTED("jvm_threads_started_total", Type.COUNTER, Unit.ONE,
            "Platform threads started."),
    JVM_VIRTUAL_THREADS_MOUNTED("pounce_jvm_virtual_threads_mounted", Type.GAUGE, Unit.ONE,
            "Virtual threads mounted on a carrier of the JDK's scheduler."),
    JVM_VIRTUAL_THREADS_QUEUED("pounce_jvm_virtual_threads_queued", Type.GAUGE, Unit.ONE,
            "Virtual threads waiting for a carrier of the JDK's scheduler (an estimate).");

    /** The Prometheus metric types used. */
    enum Type {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY;

        /** @return the name in a {@code # TYPE} line */
        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one unit of a sample's value is, so that times are counted in integers and shown in seconds. */
    enum Unit {
        ONE, MILLIS, NANOS
    }

    private final String metric;
    private final Type type;
    private final Unit unit;
    private final String help;

    Family(String metric, Type type, Unit unit, String help) {
        this.metric = metric;
        this.type = type;
        this.unit = unit;
        this.help = help;
    }

    /** @return the metric's name as exposed */
    String metric() {
        return metric;
    }

    Type type() {
        return type;
    }

    Unit unit() {
        return unit;
    }

    String help() {
        return help;
    }

    /**
     * @return whether the family's values only grow, so that a dead worker's last values stay in the server's totals
     *         (counters, histograms, summaries); a gauge's is dropped with its worker
     */
    boolean cumulative() {
        return type != Type.GAUGE;
    }

    /**
     * @param metric a name as {@link #metric()} gives it
     * @return the family
     * @throws IllegalArgumentException if there is none of that name
     */
    static Family of(String metric) {
        for (Family f : values()) {
            if (f.metric.equals(metric)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no metric family " + metric);
    }
}
