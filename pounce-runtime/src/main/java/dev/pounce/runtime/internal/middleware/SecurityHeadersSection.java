package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.util.List;

/**
 * The security-headers config section, {@code security-headers}: {@code --security-headers},
 * {@code --content-type-options}, {@code --referrer-policy}, {@code --frame-options}, {@code --hsts-max-age} and
 * {@code --hsts-include-subdomains}, and the {@code [security-headers]} table of {@code pounce.toml}. Stateless.
 */
public final class SecurityHeadersSection implements ConfigSection<SecurityHeadersPolicy> {

    /** The instance the provider reads the frozen record with. */
    public static final SecurityHeadersSection SECTION = new SecurityHeadersSection();

    /** The switch of the set; HSTS has its own. */
    public static final Setting<Boolean> ENABLED = Setting.toggle("security-headers.enabled", false)
            .describe("Add X-Content-Type-Options, Referrer-Policy and X-Frame-Options (with CSP frame-ancestors) "
                    + "to every HTTP response that lacks them");

    /** X-Content-Type-Options. */
    public static final Setting<Boolean> CONTENT_TYPE_OPTIONS =
            Setting.toggle("security-headers.content-type-options", true)
                    .flag("--content-type-options")
                    .describe("With --security-headers: X-Content-Type-Options: nosniff")
                    .reference("Fetch standard, X-Content-Type-Options");

    /** Referrer-Policy. */
    public static final Setting<String> REFERRER_POLICY = Setting.choice("security-headers.referrer-policy",
                    "strict-origin-when-cross-origin", "no-referrer", "no-referrer-when-downgrade", "origin",
                    "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
                    "unsafe-url", "off")
            .flag("--referrer-policy")
            .describe("With --security-headers: the Referrer-Policy value, off for none")
            .reference("W3C Referrer Policy");

    /** X-Frame-Options and frame-ancestors. */
    public static final Setting<String> FRAME_OPTIONS = Setting.choice("security-headers.frame-options", "deny",
                    "deny", "sameorigin", "off")
            .flag("--frame-options")
            .describe("With --security-headers: who may show the pages in a frame: X-Frame-Options DENY or "
                    + "SAMEORIGIN, and Content-Security-Policy frame-ancestors 'none' or 'self' unless the app sent "
                    + "a policy; off for neither")
            .reference("RFC 7034; CSP Level 3 frame-ancestors");

    /** Strict-Transport-Security max-age. */
    public static final Setting<Long> HSTS_MAX_AGE = Setting.longInteger("security-headers.hsts-max-age", 0, 0,
                    10L * 365 * 24 * 3600)
            .flag("--hsts-max-age")
            .describe("Strict-Transport-Security max-age on HTTPS responses (TLS on, or a trusted proxy's https); "
                    + "0 sends none. Browsers then refuse plain HTTP to this host for that long")
            .unit("seconds").reference("RFC 6797");

    /** includeSubDomains. */
    public static final Setting<Boolean> HSTS_INCLUDE_SUBDOMAINS =
            Setting.toggle("security-headers.hsts-include-subdomains", false)
                    .flag("--hsts-include-subdomains")
                    .describe("With --hsts-max-age: the includeSubDomains directive")
                    .reference("RFC 6797 section 6.1.2");

    private static final List<Setting<?>> SETTINGS = List.of(ENABLED, CONTENT_TYPE_OPTIONS, REFERRER_POLICY,
            FRAME_OPTIONS, HSTS_MAX_AGE, HSTS_INCLUDE_SUBDOMAINS);

    /** Creates the section; called by {@link java.util.ServiceLoader}, and once for {@link #SECTION}. */
    public SecurityHeadersSection() {
    }

    /** @return {@code security-headers} */
    @Override
    public String name() {
        return "security-headers";
    }

    /** @return the heading of the flags in {@code pounce --help} */
    @Override
    public String title() {
        return "Security headers (built-in middleware, dev.pounce.runtime)";
    }

    @Override
    public Class<SecurityHeadersPolicy> type() {
        return SecurityHeadersPolicy.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    /**
     * @throws ConfigException naming a per-field setting given without {@code --security-headers}, or
     *                         {@code --hsts-include-subdomains} without {@code --hsts-max-age}, since they would
     *                         have no effect
     */
    @Override
    public SecurityHeadersPolicy build(SectionValues values) {
        boolean enabled = values.get(ENABLED);
        for (Setting<?> s : List.of(CONTENT_TYPE_OPTIONS, REFERRER_POLICY, FRAME_OPTIONS)) {
            if (!enabled && values.given(s)) {
                throw new ConfigException(s.key(), s.flag() + " has no effect without --security-headers");
            }
        }
        long hsts = values.get(HSTS_MAX_AGE);
        if (hsts == 0 && values.given(HSTS_INCLUDE_SUBDOMAINS)) {
            throw new ConfigException(HSTS_INCLUDE_SUBDOMAINS.key(),
                    "--hsts-include-subdomains has no effect without --hsts-max-age");
        }
        return new SecurityHeadersPolicy(enabled, values.get(CONTENT_TYPE_OPTIONS), values.get(REFERRER_POLICY),
                values.get(FRAME_OPTIONS), hsts, values.get(HSTS_INCLUDE_SUBDOMAINS));
    }
}
