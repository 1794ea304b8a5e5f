package dev.graft.modules.router;

import dev.graft.modules.lua.LuaText;
import java.util.Optional;

/**
 * A maintenance page ({@code maintenance}: {@code true} or an object; {@code false} and
 * {@code null} are no maintenance). Answered with 503, {@code text/html}, {@code no-store}.
 *
 * @param body       the page (a newline is appended); default a short HTML page
 * @param retryAfter the Retry-After value: seconds or an HTTP date; absent (also for "") none
 */
public record Maintenance(Optional<String> body, Optional<RetryAfter> retryAfter) {

    static final String DEFAULT_PAGE = "<html><head><title>Maintenance</title></head>"
            + "<body><h1>Down for maintenance</h1><p>Please try again later.</p></body></html>";

    public Maintenance {
        body = LuaText.orEmpty(body).map(LuaText::bytes);
        retryAfter = LuaText.orEmpty(retryAfter).filter(r -> !r.value().isEmpty());
    }

    /** {@code true}: the default page; {@code false}: none (Jackson makes the null absent). */
    public static Maintenance valueOf(boolean on) {
        return on ? new Maintenance(Optional.empty(), Optional.empty()) : null;
    }

    String page() {
        return body.orElse(DEFAULT_PAGE);
    }

    /**
     * The Retry-After value: a number is written as {@code %d}, a string as it is.
     *
     * @param value the header value
     */
    public record RetryAfter(String value) {
        public static RetryAfter valueOf(String s) {
            return new RetryAfter(LuaText.bytes(s));
        }

        public static RetryAfter valueOf(long seconds) {
            return new RetryAfter(Long.toString(seconds));
        }

        /** string.format("%d", n) truncates toward zero. */
        public static RetryAfter valueOf(double seconds) {
            return new RetryAfter(Long.toString((long) seconds));
        }
    }
}
