package dev.graft.modules.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free shortcuts of the cache key and the cookie test give exactly what the
 * code they replaced gave: sorting the args (split, drop empty, sort, join) and the Java regex
 * {@code ;[ \t]*$} on the text before a cookie name, whose {@code $} also matches before a final
 * line terminator.
 */
class CacheKeyTest {

    private static final Pattern AFTER_SEPARATOR = Pattern.compile(";[ \t]*$");

    /** The sorting as it was written before the in-order shortcut. */
    private static Optional<String> sortedBySplitting(String a) {
        List<String> parts = new ArrayList<>();
        for (String p : a.split("&", -1)) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        Collections.sort(parts);
        return Optional.of(String.join("&", parts));
    }

    private static String random(SplittableRandom r, String alphabet, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void argsAlreadyInOrderComeBackAsTheyAreAndOthersSorted() {
        assertThat(CacheKey.sortedArgs(Optional.of("color=blue&size=42&sort=price"))).contains(
                "color=blue&size=42&sort=price");
        assertThat(CacheKey.sortedArgs(Optional.of("b=2&a=1&&a=0"))).contains("a=0&a=1&b=2");
        assertThat(CacheKey.sortedArgs(Optional.of("a&"))).contains("a");
        assertThat(CacheKey.sortedArgs(Optional.of("&&"))).isEmpty();
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 20_000; i++) {
            String a = random(r, "ab=&\u00e9", 9);
            if (a.isEmpty() || a.indexOf('&') < 0) {
                continue;
            }
            assertThat(CacheKey.sortedArgs(Optional.of(a))).as(a).isEqualTo(sortedBySplitting(a));
        }
    }

    @Test
    void theSeparatorTestIsTheRegexItReplaced() {
        assertThat(Bypass.afterSeparator("a=1; ", 5)).isTrue();
        assertThat(Bypass.afterSeparator("a=1;\u0085", 5)).isTrue(); // $ before a final NEL
        assertThat(Bypass.afterSeparator("a=1;\r\n", 6)).isTrue();
        assertThat(Bypass.afterSeparator("a=1 ", 4)).isFalse();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            String h = random(r, "; \t=a\r\n\u0085\u2028", 7);
            assertThat(Bypass.afterSeparator(h, h.length())).as("%s", h.chars().boxed().toList())
                    .isEqualTo(AFTER_SEPARATOR.matcher(h).find());
        }
    }

    @Test
    void cookieNamesAreFoundAsBefore() {
        assertThat(Bypass.cookieNamesPresent(List.of("theme=dark; sid=1"), List.of("sid"))).isTrue();
        assertThat(Bypass.cookieNamesPresent(List.of("xsid=1"), List.of("sid"))).isFalse();
        assertThat(Bypass.cookieNamesPresent(List.of("a=1", "sid=2"), List.of("sid"))).isTrue();
        assertThat(Bypass.cookieNamesPresent(List.of("sid"), List.of("sid"))).isFalse();
    }
}
