package dev.pounce.runtime.internal.middleware;

/**
 * The security-header settings, frozen ({@link SecurityHeadersSection}).
 *
 * @param enabled               whether the set below is added ({@code --security-headers})
 * @param contentTypeOptions    whether {@code X-Content-Type-Options: nosniff} is added
 * @param referrerPolicy        the {@code Referrer-Policy} value, or {@code off}
 * @param frameOptions          {@code deny}, {@code sameorigin} or {@code off}: {@code X-Frame-Options} and the CSP
 *                              {@code frame-ancestors} directive
 * @param hstsMaxAge            {@code Strict-Transport-Security} max-age in seconds, {@code 0} for none; sent over
 *                              HTTPS only
 * @param hstsIncludeSubdomains whether HSTS covers the subdomains too
 */
public record SecurityHeadersPolicy(boolean enabled, boolean contentTypeOptions, String referrerPolicy,
                                    String frameOptions, long hstsMaxAge, boolean hstsIncludeSubdomains) {

    /** @return whether any field is added at all */
    public boolean active() {
        return enabled || hstsMaxAge > 0;
    }
}
