package dev.pounce.runtime.internal.compress;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.Message;
import dev.pounce.api.Send;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The app's {@link Send} for one HTTP request with compression in front: it holds the response start until the
 * first body chunk, decides from the two whether to compress, then sends the start with its fields changed and each
 * body chunk encoded and flushed, so a streamed response (server-sent events) goes out chunk by chunk. Used by the
 * app's thread only.
 *
 * <p>A response is sent as it is when its status has no body to compress or is a part of one (1xx, 204, 206, 304),
 * it already has a {@code Content-Encoding} or a {@code Content-Range}, it says {@code Cache-Control: no-transform}
 * (RFC 9110 §7.7), its type is not one of {@code --compression-types} (or it has none), or it is smaller than
 * {@code --compression-min-size} by its {@code Content-Length} or its one and only body chunk. Otherwise it gets
 * {@code Vary: Accept-Encoding}, whether or not this client accepted a coding, because a cache must know that
 * another client may get another body; and when one was accepted, {@code Content-Encoding}, no
 * {@code Content-Length} (or the encoded length, for a body sent in one chunk), and a strong {@code ETag} made weak,
 * since the bytes are no longer the ones the app tagged.
 */
public final class CompressingSend implements Send {

    private final ResponseCompression policy;
    private final Send next;
    private final Optional<String> coding;
    private HttpMessage.ResponseStart held;
    private boolean decided;
    private BodyEncoder encoder;

    CompressingSend(ResponseCompression policy, Send next, Optional<String> coding) {
        this.policy = policy;
        this.next = next;
        this.coding = coding;
    }

    @Override
    public void send(Message message) throws IOException, InterruptedException {
        switch (message) {
            case HttpMessage.ResponseStart start when start.status() >= 200 && !decided -> {
                if (held != null) {
                    throw new IllegalStateException("http.response.start was already sent");
                }
                held = start;
            }
            case HttpMessage.ResponseBody body when held != null -> first(body);
            case HttpMessage.ResponseBody body when encoder != null -> {
                byte[] encoded = encoder.encode(body.body(), !body.more());
                next.send(new HttpMessage.ResponseBody(encoded, body.more()));
            }
            default -> next.send(message);
        }
    }

    /**
     * Ends the decoration when the app returns: a start the app sent without any body goes out as it is, and the
     * encoder's native memory is freed however the response ended.
     *
     * @param returned whether the app returned, rather than threw; after a throw the caller answers for itself
     * @throws IOException          if the held start cannot be sent
     * @throws InterruptedException if interrupted while sending it
     */
    public void end(boolean returned) throws IOException, InterruptedException {
        try {
            if (returned && held != null) {
                HttpMessage.ResponseStart start = held;
                held = null;
                decided = true;
                next.send(start);
            }
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
    }

    private void first(HttpMessage.ResponseBody body) throws IOException, InterruptedException {
        HttpMessage.ResponseStart start = held;
        held = null;
        decided = true;
        Headers fields = start.headers();
        if (!eligible(start.status(), fields) || small(fields, body)) {
            next.send(start);
            next.send(body);
            return;
        }
        if (coding.isEmpty()) {
            Headers.Builder out = Headers.builder();
            fields.forEach((name, value) -> {
                if (!name.equals("vary")) {
                    out.add(name, value);
                }
            });
            next.send(new HttpMessage.ResponseStart(start.status(), vary(fields, out).build(), start.trailers()));
            next.send(body);
            return;
        }
        encoder = Codecs.encoder(coding.get(), policy.settings());
        byte[] encoded = encoder.encode(body.body(), !body.more());
        Headers.Builder out = Headers.builder();
        fields.forEach((name, value) -> {
            switch (name) {
                case "content-length", "vary" -> { }
                case "etag" -> out.add(name, value.startsWith("\"") ? "W/" + value : value);
                default -> out.add(name, value);
            }
        });
        out.add("content-encoding", coding.get());
        vary(fields, out);
        if (!body.more()) {
            out.add("content-length", Integer.toString(encoded.length));
        }
        next.send(new HttpMessage.ResponseStart(start.status(), out.build(), start.trailers()));
        next.send(new HttpMessage.ResponseBody(encoded, body.more()));
    }

    private boolean eligible(int status, Headers fields) {
        if (status == 204 || status == 206 || status == 304) {
            return false;
        }
        if (fields.contains("content-encoding") || fields.contains("content-range")) {
            return false;
        }
        for (String c : fields.all("cache-control")) {
            if (c.toLowerCase(Locale.ROOT).contains("no-transform")) {
                return false;
            }
        }
        Optional<String> type = fields.first("content-type");
        return type.isPresent() && policy.compresses(type.get());
    }

    /** @return whether the body is known to be under the minimum: by its declared length, or as its only chunk */
    private boolean small(Headers fields, HttpMessage.ResponseBody body) {
        int min = policy.settings().minSize();
        if (!body.more() && body.body().length < min) {
            return true;
        }
        Optional<String> declared = fields.first("content-length");
        if (declared.isPresent()) {
            try {
                return Long.parseLong(declared.get().trim()) < min;
            } catch (NumberFormatException e) {
                // The protocol refuses a bad length itself; here it says nothing about the size.
                return false;
            }
        }
        return false;
    }

    /** Adds to {@code out} one {@code Vary} that holds the app's own members and {@code Accept-Encoding}. */
    private static Headers.Builder vary(Headers fields, Headers.Builder out) {
        StringBuilder members = new StringBuilder();
        boolean named = false;
        for (String v : fields.all("vary")) {
            for (String member : v.split(",")) {
                String m = member.trim();
                if (m.isEmpty()) {
                    continue;
                }
                if (m.equals("*") || m.equalsIgnoreCase("accept-encoding")) {
                    named = true;
                }
                members.append(members.isEmpty() ? "" : ", ").append(m);
            }
        }
        if (!named) {
            members.append(members.isEmpty() ? "" : ", ").append("Accept-Encoding");
        }
        return out.add("vary", members.toString());
    }
}
