package dev.pounce.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What one request of a benchmark asks for: the path, the method, the body sent and the length of the body expected
 * back. {@link BenchApp} serves each path; {@code --against URL} asks another server for the same paths.
 */
public enum Workload {
    /** {@code GET /plaintext}: "Hello, World!" as text, the smallest useful answer. */
    PLAINTEXT("GET", "/plaintext", 0, BenchApp.HELLO.length),
    /** {@code GET /json}: a small JSON object, written by hand (the CLI has no JSON library). */
    JSON("GET", "/json", 0, BenchApp.JSON.length),
    /** {@code POST /echo} with 1 KiB: the body read and sent back. */
    ECHO("POST", "/echo", 1024, 1024),
    /** {@code GET /stream}: 16 chunks of 1 KiB, each its own send. */
    STREAM("GET", "/stream", 0, BenchApp.STREAM_CHUNKS * BenchApp.STREAM_CHUNK.length);

    private final String method;
    private final String path;
    private final int requestBytes;
    private final int responseBytes;

    Workload(String method, String path, int requestBytes, int responseBytes) {
        this.method = method;
        this.path = path;
        this.requestBytes = requestBytes;
        this.responseBytes = responseBytes;
    }

    /** @return the name on the command line and in reports: plaintext, json, echo, stream */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return GET or POST */
    public String method() {
        return method;
    }

    /** @return the path asked for, below the target's own path */
    public String path() {
        return path;
    }

    /** @return the length of the request body */
    public int requestBytes() {
        return requestBytes;
    }

    /** @return the length of the response body that counts as a success */
    public int responseBytes() {
        return responseBytes;
    }

    /**
     * @param id a name as typed
     * @return the workload of that name
     */
    public static Optional<Workload> of(String id) {
        return Arrays.stream(values()).filter(w -> w.id().equals(id.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}
