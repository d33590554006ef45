package dev.pounce.runtime.internal.middleware;

import dev.pounce.api.HttpScope;
import dev.pounce.api.Middleware;
import dev.pounce.api.ResponseHead;

/**
 * Adds the security fields to each HTTP response start, never replacing one the app (or a middleware inside this
 * one) set: {@code X-Content-Type-Options}, {@code Referrer-Policy}, {@code X-Frame-Options} and, unless the app
 * sent a {@code Content-Security-Policy}, one with the matching {@code frame-ancestors}; and
 * {@code Strict-Transport-Security} only on responses to HTTPS requests, since RFC 6797 section 7.2 forbids it over
 * plain HTTP. Stateless.
 */
final class SecurityHeadersMiddleware implements Middleware {

    private final SecurityHeadersPolicy config;
    private final String hsts;

    SecurityHeadersMiddleware(SecurityHeadersPolicy config) {
        this.config = config;
        this.hsts = "max-age=" + config.hstsMaxAge() + (config.hstsIncludeSubdomains() ? "; includeSubDomains" : "");
    }

    @Override
    public void onResponseStart(HttpScope scope, ResponseHead head) {
        if (config.hstsMaxAge() > 0 && scope.scheme().equals("https")) {
            head.setIfAbsent("strict-transport-security", hsts);
        }
        if (!config.enabled()) {
            return;
        }
        if (config.contentTypeOptions()) {
            head.setIfAbsent("x-content-type-options", "nosniff");
        }
        if (!config.referrerPolicy().equals("off")) {
            head.setIfAbsent("referrer-policy", config.referrerPolicy());
        }
        switch (config.frameOptions()) {
            case "deny" -> frames(head, "DENY", "frame-ancestors 'none'");
            case "sameorigin" -> frames(head, "SAMEORIGIN", "frame-ancestors 'self'");
            default -> { }
        }
    }

    private static void frames(ResponseHead head, String frameOptions, String policy) {
        head.setIfAbsent("x-frame-options", frameOptions);
        // A policy of the app's own is left whole: adding a second one would narrow it in ways the app did not ask.
        head.setIfAbsent("content-security-policy", policy);
    }
}
