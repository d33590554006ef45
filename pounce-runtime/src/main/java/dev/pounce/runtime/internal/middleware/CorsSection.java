package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.Headers;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * The CORS config section, {@code cors}: {@code --cors-allow-origin} (repeatable), {@code --cors-allow-methods},
 * {@code --cors-allow-headers}, {@code --cors-expose-headers}, {@code --cors-allow-credentials} and
 * {@code --cors-max-age}, and the {@code [cors]} table of {@code pounce.toml}. Stateless.
 */
public final class CorsSection implements ConfigSection<CorsPolicy> {

    /** The instance the provider reads the frozen record with. */
    public static final CorsSection SECTION = new CorsSection();

    /** The origins allowed; CORS is off while this is empty. */
    public static final Setting<List<String>> ALLOW_ORIGIN = Setting.list("cors.allow-origin", List.of(),
                    "an origin such as https://app.example:8443, or *", CorsSection::checkOrigin)
            .describe("Origins whose pages may read responses (repeatable); * for any. CORS is off without one")
            .reference("Fetch standard, CORS protocol");

    /** The methods a preflight may ask for. */
    public static final Setting<List<String>> ALLOW_METHODS = Setting.list("cors.allow-methods",
                    List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"), "a method name, or *",
                    CorsSection::checkToken)
            .describe("Methods a preflight may ask for; * for any. GET, HEAD and POST always pass");

    /** The request fields a preflight may ask for. */
    public static final Setting<List<String>> ALLOW_HEADERS = Setting.list("cors.allow-headers", List.of("*"),
                    "a field name, or *", CorsSection::checkToken)
            .describe("Request fields a preflight may ask for (Access-Control-Request-Headers); * for any");

    /** The response fields a page may read. */
    public static final Setting<List<String>> EXPOSE_HEADERS = Setting.list("cors.expose-headers", List.of(),
                    "a field name", CorsSection::checkToken)
            .describe("Response fields a page may read besides the safelisted ones (Access-Control-Expose-Headers)");

    /** Whether credentialed requests may read responses. */
    public static final Setting<Boolean> ALLOW_CREDENTIALS = Setting.toggle("cors.allow-credentials", false)
            .describe("Let pages send cookies and read the answer (Access-Control-Allow-Credentials: true); the "
                    + "origin is then echoed with Vary: Origin, never *");

    /** How long a preflight's answer may be kept. */
    public static final Setting<Integer> MAX_AGE = Setting.integer("cors.max-age", 3600, 0, 86400)
            .describe("How long a browser may keep a preflight's answer (Access-Control-Max-Age); browsers cap it "
                    + "(Chromium at 7200)")
            .unit("seconds");

    private static final List<Setting<?>> SETTINGS = List.of(ALLOW_ORIGIN, ALLOW_METHODS, ALLOW_HEADERS,
            EXPOSE_HEADERS, ALLOW_CREDENTIALS, MAX_AGE);

    /** Creates the section; called by {@link java.util.ServiceLoader}, and once for {@link #SECTION}. */
    public CorsSection() {
    }

    /** @return {@code cors} */
    @Override
    public String name() {
        return "cors";
    }

    /** @return the heading of the flags in {@code pounce --help} */
    @Override
    public String title() {
        return "CORS (built-in middleware, dev.pounce.runtime)";
    }

    @Override
    public Class<CorsPolicy> type() {
        return CorsPolicy.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    /**
     * @throws ConfigException naming the first CORS setting given while no origin is allowed, since it would have
     *                         no effect
     */
    @Override
    public CorsPolicy build(SectionValues values) {
        List<String> origins = values.get(ALLOW_ORIGIN);
        if (origins.isEmpty()) {
            for (Setting<?> s : SETTINGS) {
                if (values.given(s) && s != ALLOW_ORIGIN) {
                    throw new ConfigException(s.key(), s.flag() + " has no effect without --cors-allow-origin");
                }
            }
        }
        return new CorsPolicy(origins.stream().map(o -> o.toLowerCase(java.util.Locale.ROOT)).toList(),
                values.get(ALLOW_METHODS),
                values.get(ALLOW_HEADERS).stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(),
                values.get(EXPOSE_HEADERS), values.get(ALLOW_CREDENTIALS), values.get(MAX_AGE));
    }

    /** An origin is a scheme, a host and maybe a port, as a browser writes it in {@code Origin}; no path. */
    static Optional<String> checkOrigin(String item) {
        if (item.equals("*")) {
            return Optional.empty();
        }
        if (item.equals("null")) {
            return Optional.of("is the opaque origin of sandboxed pages and files, which any page can take on");
        }
        try {
            URI uri = new URI(item);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.of("is not scheme://host[:port]");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.of("has more than scheme://host[:port] (an origin has no path, not even /)");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not scheme://host[:port]: " + e.getReason());
        }
    }

    private static Optional<String> checkToken(String item) {
        if (item.equals("*")) {
            return Optional.empty();
        }
        return item.chars().allMatch(Headers::isTokenChar) ? Optional.empty()
                : Optional.of("is not an RFC 9110 token");
    }
}
