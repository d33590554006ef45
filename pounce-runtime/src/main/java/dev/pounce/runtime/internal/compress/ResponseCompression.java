package dev.pounce.runtime.internal.compress;

import dev.pounce.api.Compression;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Send;
import dev.pounce.api.ServerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's compression settings, frozen: the codings it offers (those asked for that this JVM can produce) and
 * the media types it compresses. One per worker; {@link #wrap} is called on the app's thread for each HTTP request
 * and shares nothing mutable.
 */
public final class ResponseCompression {

    private final Compression settings;
    private final List<String> offered;
    private final Set<String> exactTypes;
    /** {@code text/*}: the top-level types whose every subtype is compressed. */
    private final Set<String> wholeTypes;
    /** {@code application/*+json}: top-level type and suffix, as {@code application/+json}. */
    private final Set<String> suffixTypes;

    private ResponseCompression(Compression settings, List<String> offered) {
        this.settings = settings;
        this.offered = offered;
        List<String> exact = new ArrayList<>();
        List<String> whole = new ArrayList<>();
        List<String> suffix = new ArrayList<>();
        for (String t : settings.types()) {
            int slash = t.indexOf('/');
            String sub = t.substring(slash + 1);
            if (sub.equals("*")) {
                whole.add(t.substring(0, slash));
            } else if (sub.startsWith("*+")) {
                suffix.add(t.substring(0, slash) + "/" + sub.substring(1));
            } else {
                exact.add(t);
            }
        }
        this.exactTypes = Set.copyOf(exact);
        this.wholeTypes = Set.copyOf(whole);
        this.suffixTypes = Set.copyOf(suffix);
    }

    /**
     * @param config the frozen config
     * @return the compression to apply, or empty when it is off ({@code --no-compression}) or no coding asked for
     *         can be produced here
     */
    public static Optional<ResponseCompression> of(ServerConfig config) {
        Compression c = config.compression();
        if (!c.enabled()) {
            return Optional.empty();
        }
        List<String> offered = Codecs.available(c.encodings());
        return offered.isEmpty() ? Optional.empty() : Optional.of(new ResponseCompression(c, offered));
    }

    /**
     * The app's {@link Send} for one request, decorated: it negotiates from the request's {@code Accept-Encoding}
     * and compresses the response when its status, fields and size allow. The caller must call
     * {@link CompressingSend#end} when the app returns.
     *
     * @param scope the request
     * @param send  the app's send, which writes to the protocol
     * @return the decorated send, or {@code send} itself for a HEAD request, whose response has no body to compress
     */
    public Send wrap(HttpScope scope, Send send) {
        if (scope.method().equals("HEAD")) {
            return send;
        }
        return new CompressingSend(this, send, AcceptEncoding.choose(scope.headers().all("accept-encoding"), offered));
    }

    /** @return the settings: levels and the minimum size */
    Compression settings() {
        return settings;
    }

    /** @return the codings offered, best first */
    public List<String> offered() {
        return offered;
    }

    /**
     * @param contentType a {@code Content-Type} value, parameters allowed
     * @return whether bodies of that type are compressed
     */
    boolean compresses(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        if (exactTypes.contains(media) || wholeTypes.contains(media.substring(0, slash))) {
            return true;
        }
        int plus = media.lastIndexOf('+');
        return plus > slash && suffixTypes.contains(media.substring(0, slash + 1) + media.substring(plus));
    }
}
