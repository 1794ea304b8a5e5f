package dev.graft.bridge.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Soundness of the prefilter: whenever it rejects a subject (from an offset), the regex finds
 * no match there. Patterns: those of the ngx.re tests (lua-host NgxRegexTest) and
 * representative ones with every construct the extraction reads; subjects are built from
 * fragments of the pattern's text and of its literals, in random case, with chars that fold
 * to ASCII letters under Unicode case rules (the Kelvin sign, the long s, dotted I).
 */
class LiteralPrefilterPropertyTest {

    /** PCRE pattern and ngx.re options. */
    record Source(String pattern, String options) {}

    static final List<Source> SOURCES = List.of(
            // from NgxRegexTest
            new Source("\\d", ""), new Source("b", "i"), new Source("a.b", "s"), new Source("^ab", "m"),
            new Source("select", "i"), new Source("select", "u"), new Source("(?<=a)b", ""), new Source("a(?=b)", ""),
            new Source("a++b", ""), new Source("\\Q.\\E", ""), new Source("(?<num>\\d+)", ""), new Source("(a)(x)?(b)", ""),
            new Source("(?<x>a)|(?<x>b)", "D"), new Source("(?i)\u00e9", "u"), new Source("\u00e9", "iu"),
            new Source("\\x41", ""), new Source("\\x{41}", ""), new Source("\\101", ""), new Source("a\\Rb", ""),
            new Source("a\\hb", ""), new Source("a{,3}", ""), new Source("b\\Z", ""), new Source("b\\z", ""),
            new Source("\\Ga", ""), new Source("(\\d+)( x)?", ""), new Source("(o)", ""), new Source("l+", ""),
            new Source("a\\ b", "x"), new Source("a[#]b", "x"), new Source("(x)?c", ""), new Source("[[:upper:][:punct:]]+", ""),
            new Source("(a+?)+?b", ""), new Source("(a*)*\\1b", ""), new Source("a+b", ""), new Source("x*", ""),
            // constructs of the extraction
            new Source("(?:sqlmap|nikto|nmap)", "ijo"), new Source("kelvin|sun", "iu"), new Source("xss|ik", "iu"),
            new Source("a(?i)Bc|dE", ""), new Source("(?:x(?i)y|Zw)q", ""), new Source("%0[ad]", "i"),
            new Source("[\\r\\n]\\s*(?:get|post)\\s+\\S+\\s+http/\\d", "i"), new Source("x(?:ab)?y", ""),
            new Source("(?:ab){2,3}c", "i"), new Source("ab+?c", ""), new Source("ab*+c", "i"), new Source("(a)\\1b", "i"),
            new Source("\\$\\{?IFS\\b", ""), new Source("/(?:pma|pma/x)(?:/|$)", "i"), new Source("(?:^|[\\\\/])\\.\\.(?:[\\\\/]|$)", ""),
            new Source("a\\x{1F600}?b", "u"), new Source("\\bunion\\b(?:\\s|/\\*[\\s\\S]*?\\*/|\\()+select\\b", "i"),
            new Source("[kK]ey", "iu"), new Source("[sS]x", "i"), new Source("\u017f", "iu"), new Source("I[iI]", "iu"),
            new Source("<\\?(?:php\\b|=)", "i"), new Source("(?:%(?:25)?2e){2}(?:%(?:25)?2f|/)", "i"));

    private static final String ODD_CHARS = "\u212a\u017f\u0130\u0131\u00e9\u00c9\u00ff\u0000\t\r\n ;|`'\"()<>/\\%$.";

    record Case(int source, String subject, int from) {}

    private static Optional<PcreRegex.Compiled> compiled(Source s) {
        try {
            return PcreRegex.compile(s.pattern(), s.options()) instanceof PcreRegex.Compiled c ? Optional.of(c)
                    : Optional.empty();
        } catch (RegexOptions.UnknownFlag e) {
            throw new AssertionError(e);
        }
    }

    /** Pieces subjects are made of: the pattern's text, its literals, and chars that fold oddly. */
    private static List<String> pieces(Source s) {
        List<String> out = new ArrayList<>();
        String p = s.pattern();
        for (int k = 0; k < p.length(); k += 3) {
            out.add(p.substring(k, Math.min(p.length(), k + 1 + (k % 7))));
        }
        compiled(s).flatMap(PcreRegex.Compiled::prefilter).ifPresent(f -> f.clauses()
                .forEach(c -> c.forEach(l -> {
                    out.add(l.text());
                    if (l.text().length() > 1) {
                        out.add(l.text().substring(1));
                        out.add(l.text().substring(0, l.text().length() - 1));
                    }
                })));
        for (char c : ODD_CHARS.toCharArray()) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    private static String flipCase(String s, List<Boolean> flips) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean flip = flips.get(k % flips.size());
            b.append(flip ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return b.toString();
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(0, SOURCES.size() - 1).flatMap(i -> {
            Source s = SOURCES.get(i);
            boolean bytes = !s.options().contains("u");
            Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(pieces(s))),
                    Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(3)));
            Arbitrary<String> subject = Combinators.combine(piece.list().ofMaxSize(8),
                    Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(5))
                    .as((parts, flips) -> flipCase(String.join("", parts), flips))
                    // a Lua byte string without u: one char per byte
                    .filter(str -> !bytes || str.chars().allMatch(c -> c < 256))
                    .filter(str -> bytes || isWellFormed(str));
            return subject.flatMap(str -> Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)),
                    Tuple.of(1, Arbitraries.integers().between(0, str.length()))).map(from -> new Case(i, str, from)));
        });
    }

    private static boolean isWellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    @Property(tries = 20000)
    void aRejectedSubjectHasNoMatch(@ForAll("cases") Case c) {
        Source s = SOURCES.get(c.source());
        PcreRegex.Compiled compiled = compiled(s).orElseThrow();
        Matcher m = compiled.pattern().matcher(c.subject());
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        m.region(c.from(), c.subject().length());
        boolean found = compiled.options().anchored() ? m.lookingAt() : m.find();
        Optional<LiteralPrefilter> prefilter = compiled.prefilter();
        Statistics.label("outcome").collect(found ? "match" : prefilter.isEmpty() ? "no prefilter"
                : prefilter.get().mayMatch(c.subject(), c.from()) ? "passed, no match" : "rejected");
        if (prefilter.isEmpty()) {
            return;
        }
        LiteralPrefilter f = prefilter.get();
        boolean may = f.mayMatch(c.subject(), c.from());
        if (found) {
            assertThat(may).as("%s on %s from %d", s, c.subject(), c.from()).isTrue();
        }
        // every entry point scans alike; the sketch never hides a literal the scan finds
        assertThat(f.mayMatch(c.subject(), TextSketch.of(c.subject()))).isEqualTo(f.mayMatch(c.subject(), 0));
        assertThat(f.mayMatch(new StringBuilder(c.subject()), c.from())).isEqualTo(may);
        assertThat(f.mayMatch(c.subject().toCharArray(), c.subject().length(), c.from())).isEqualTo(may);
        if (c.subject().chars().allMatch(ch -> ch < 256)) {
            byte[] b = ("xy" + c.subject()).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(f.mayMatchLatin1(b, 2, b.length - 2, c.from())).isEqualTo(may);
        }
    }

    @Property(tries = 1)
    void everySourceCompiles() {
        for (Source s : SOURCES) {
            assertThat(compiled(s)).as(s.toString()).isPresent();
        }
    }
}
