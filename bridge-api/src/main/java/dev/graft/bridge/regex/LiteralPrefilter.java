package dev.graft.bridge.regex;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A quick "can this subject match at all?" test run before a regex: clauses of literals, each
 * clause a set of which every match of the pattern contains at least one, found by a plain scan.
 * {@link RequiredLiterals} derives them from the pattern at compile time, so a subject without
 * them is answered "no match" without running the backtracking matcher (what PCRE's own
 * required-character check does for OpenResty).
 *
 * <p>Sound by construction: {@code mayMatch} is false only when the pattern cannot find a
 * match in the subject from {@code from} on (the match lies in [from, end), so must the literal).
 * A caseless literal is held in ASCII lower case and matches any ASCII case variant of itself,
 * which is at least what the regex accepts. Subjects are chars: a Java {@code String}, the bytes
 * of a Lua string read one char per byte (ISO-8859-1), or decoded UTF-8 chars.
 *
 * <p>Immutable and thread-safe; built once per compiled pattern.
 */
public final class LiteralPrefilter {

    /**
     * A literal to look for.
     *
     * @param text     non-empty; in ASCII lower case when {@code caseless}
     * @param caseless matches any ASCII case variant of {@code text}
     */
    public record Literal(String text, boolean caseless) {
        public Literal {
            requireNonNull(text, "text");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("text: \"\" (expected: a non-empty literal)");
            }
            if (caseless && !text.equals(asciiLower(text))) {
                throw new IllegalArgumentException("text: " + text + " (expected: ASCII lower case when caseless)");
            }
        }
    }

    private final List<List<Literal>> clauses;
    private final Clause[] scanners;

    private LiteralPrefilter(List<List<Literal>> clauses) {
        this.clauses = clauses.stream().map(List::copyOf).toList();
        this.scanners = new Clause[clauses.size()];
        for (int k = 0; k < scanners.length; k++) {
            scanners[k] = new Clause(this.clauses.get(k));
        }
    }

    /**
     * A prefilter that passes a subject holding, for every clause, at least one of its literals.
     *
     * @param clauses non-empty, each non-empty
     */
    public static LiteralPrefilter of(List<List<Literal>> clauses) {
        requireNonNull(clauses, "clauses");
        if (clauses.isEmpty() || clauses.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("clauses: " + clauses + " (expected: non-empty lists of literals)");
        }
        return new LiteralPrefilter(clauses);
    }

    /** The clauses: every match holds a literal of each. */
    public List<List<Literal>> clauses() {
        return clauses;
    }

    /** False only when no match of the pattern can start at or after {@code from} in {@code s}. */
    public boolean mayMatch(CharSequence s, int from) {
        requireNonNull(s, "s");
        if (s instanceof String str) {
            return mayMatch(str, from);
        }
        for (Clause c : scanners) {
            if (!c.foundIn(s, from)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #mayMatch(CharSequence, int)} for a whole string. */
    public boolean mayMatch(String s) {
        return mayMatch(s, 0);
    }

    /**
     * {@link #mayMatch(String)} with the subject's sketch: most subjects that hold none of a
     * clause's literals are rejected by bit tests before any scan.
     *
     * @param sketch {@code TextSketch.of(s)}
     */
    public boolean mayMatch(String s, TextSketch sketch) {
        int n = s.length();
        for (Clause c : scanners) {
            if (n < c.minLength || !c.mayBeIn(sketch)) {
                return false;
            }
        }
        return mayMatch(s, 0);
    }

    /** {@link #mayMatch(CharSequence, int)} on a String. */
    public boolean mayMatch(String s, int from) {
        for (Clause c : scanners) {
            if (!c.foundIn(s, from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #mayMatch(CharSequence, int)} on {@code length} bytes at {@code offset}, one char per
     * byte (a Lua string without the u option); {@code from} is relative to {@code offset}.
     */
    public boolean mayMatchLatin1(byte[] bytes, int offset, int length, int from) {
        for (Clause c : scanners) {
            if (!c.foundIn(bytes, offset, length, from)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #mayMatch(CharSequence, int)} on the first {@code length} chars of {@code chars}. */
    public boolean mayMatch(char[] chars, int length, int from) {
        for (Clause c : scanners) {
            if (!c.foundIn(chars, length, from)) {
                return false;
            }
        }
        return true;
    }

    static String asciiLower(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 'A' && c <= 'Z') {
                char[] out = s.toCharArray();
                for (int j = k; j < out.length; j++) {
                    out[j] = lower(out[j]);
                }
                return new String(out);
            }
        }
        return s;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    @Override
    public String toString() {
        return "LiteralPrefilter" + clauses;
    }

    /**
     * One clause's scanner: at each subject position, the literals that may start with that
     * char (a table for chars below 256, a list for the others) are compared in full.
     */
    private static final class Clause {
        private final char[][] text;
        private final boolean[] caseless;
        private final int[][] startingWith = new int[256][];
        private final int[] startingWide;
        private final int minLength;
        /** The one literal when the clause is a single case-sensitive literal (String.indexOf). */
        private final String single;
        /** Per literal, the TextSketch bits its presence sets: its pairs, or its char. */
        private final int[][] probes;
        /** The first probe of every literal: by literal, as sketch words, and the words that are not zero. */
        private final int[] first;
        private final long[] firstMasks;
        private final long firstWordMask;

        Clause(List<Literal> literals) {
            int n = literals.size();
            text = new char[n][];
            caseless = new boolean[n];
            int min = Integer.MAX_VALUE;
            List<Integer> wide = new ArrayList<>();
            List<List<Integer>> byFirst = new ArrayList<>(256);
            for (int c = 0; c < 256; c++) {
                byFirst.add(null);
            }
            for (int k = 0; k < n; k++) {
                Literal l = literals.get(k);
                text[k] = l.text().toCharArray();
                caseless[k] = l.caseless();
                min = Math.min(min, text[k].length);
                char f = text[k][0];
                if (f >= 256) {
                    wide.add(k);
                    continue;
                }
                add(byFirst, f, k);
                if (l.caseless() && f >= 'a' && f <= 'z') {
                    add(byFirst, f - 32, k);
                }
            }
            for (int c = 0; c < 256; c++) {
                List<Integer> ks = byFirst.get(c);
                startingWith[c] = ks == null ? null : ks.stream().mapToInt(Integer::intValue).toArray();
            }
            startingWide = wide.isEmpty() ? null : wide.stream().mapToInt(Integer::intValue).toArray();
            minLength = min;
            single = n == 1 && !caseless[0] ? literals.get(0).text() : null;
            probes = new int[n][];
            long[] firstBits = new long[TextSketch.WORDS];
            for (int k = 0; k < n; k++) {
                probes[k] = probes(asciiLower(literals.get(k).text()));
                firstBits[probes[k][0] >>> 6] |= 1L << probes[k][0];
            }
            long mask = 0;
            for (int w = 0; w < firstBits.length; w++) {
                mask |= firstBits[w] != 0 ? 1L << w : 0;
            }
            firstWordMask = mask;
            firstMasks = firstBits;
            first = new int[n];
            for (int k = 0; k < n; k++) {
                first[k] = probes[k][0];
            }
        }

        /**
         * The sketch bits of a (lower-cased) literal: its char, or its pairs with the one least
         * likely in ordinary text first, so that most literals are ruled out by one test.
         */
        private static int[] probes(String t) {
            if (t.length() == 1) {
                return new int[] {TextSketch.charBit(t.charAt(0))};
            }
            int best = 1;
            for (int j = 2; j < t.length(); j++) {
                if (commonness(t.charAt(j - 1)) + commonness(t.charAt(j))
                        < commonness(t.charAt(best - 1)) + commonness(t.charAt(best))) {
                    best = j;
                }
            }
            final int b = best;
            return IntStream.concat(IntStream.of(b), IntStream.range(1, t.length()).filter(j -> j != b))
                    .map(j -> TextSketch.pairBit(t.charAt(j - 1), t.charAt(j))).distinct().toArray();
        }

        /** How common a lower-case char is in requests: letters by English frequency, then digits, separators. */
        private static int commonness(char c) {
            int letter = "zqjxkvbpygfwmucldrhsnioate".indexOf(c);
            if (letter >= 0) {
                return letter;
            }
            if (c >= '0' && c <= '9') {
                return 20;
            }
            return " /.-=&;:,_".indexOf(c) >= 0 ? 18 : 0;
        }

        /** False when the sketched subject holds none of the literals. */
        boolean mayBeIn(TextSketch sketch) {
            // the words where both the sketch and some literal's likeliest-absent bit have bits
            long words = firstWordMask & sketch.nonEmptyWords();
            while (words != 0) {
                int w = Long.numberOfTrailingZeros(words);
                words &= words - 1;
                long hits = firstMasks[w] & sketch.word(w);
                while (hits != 0) {
                    int bit = (w << 6) + Long.numberOfTrailingZeros(hits);
                    hits &= hits - 1;
                    if (literalIn(bit, sketch)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether a literal whose first probe is {@code bit} (there) has all its probes in the sketch. */
        boolean literalIn(int bit, TextSketch sketch) {
            for (int k = 0; k < first.length; k++) {
                if (first[k] == bit && allIn(probes[k], sketch)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean allIn(int[] p, TextSketch sketch) {
            for (int i = 1; i < p.length; i++) {
                if (!sketch.has(p[i])) {
                    return false;
                }
            }
            return true;
        }

        private static void add(List<List<Integer>> byFirst, int c, int k) {
            if (byFirst.get(c) == null) {
                byFirst.set(c, new ArrayList<>(2));
            }
            byFirst.get(c).add(k);
        }

        private int[] candidates(int c) {
            return c < 256 ? startingWith[c] : startingWide;
        }

        boolean foundIn(String s, int from) {
            if (single != null) {
                return s.indexOf(single, Math.max(from, 0)) >= 0;
            }
            int last = s.length() - minLength;
            for (int i = Math.max(from, 0); i <= last; i++) {
                int[] ks = candidates(s.charAt(i));
                if (ks != null) {
                    for (int k : ks) {
                        if (at(s, i, k)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private boolean at(String s, int i, int k) {
            char[] t = text[k];
            if (i + t.length > s.length()) {
                return false;
            }
            if (caseless[k]) {
                for (int j = 0; j < t.length; j++) {
                    if (lower(s.charAt(i + j)) != t[j]) {
                        return false;
                    }
                }
            } else {
                for (int j = 0; j < t.length; j++) {
                    if (s.charAt(i + j) != t[j]) {
                        return false;
                    }
                }
            }
            return true;
        }

        boolean foundIn(CharSequence s, int from) {
            int n = s.length();
            int last = n - minLength;
            for (int i = Math.max(from, 0); i <= last; i++) {
                int[] ks = candidates(s.charAt(i));
                if (ks != null) {
                    for (int k : ks) {
                        char[] t = text[k];
                        if (i + t.length <= n && regionAt(s, i, t, caseless[k])) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static boolean regionAt(CharSequence s, int i, char[] t, boolean caseless) {
            for (int j = 0; j < t.length; j++) {
                char c = s.charAt(i + j);
                if ((caseless ? lower(c) : c) != t[j]) {
                    return false;
                }
            }
            return true;
        }

        boolean foundIn(byte[] b, int offset, int length, int from) {
            int last = length - minLength;
            for (int i = Math.max(from, 0); i <= last; i++) {
                int[] ks = startingWith[b[offset + i] & 0xFF];
                if (ks != null) {
                    for (int k : ks) {
                        char[] t = text[k];
                        if (i + t.length <= length && bytesAt(b, offset + i, t, caseless[k])) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static boolean bytesAt(byte[] b, int at, char[] t, boolean caseless) {
            for (int j = 0; j < t.length; j++) {
                char c = (char) (b[at + j] & 0xFF);
                if ((caseless ? lower(c) : c) != t[j]) {
                    return false;
                }
            }
            return true;
        }

        boolean foundIn(char[] chars, int length, int from) {
            int last = length - minLength;
            for (int i = Math.max(from, 0); i <= last; i++) {
                int[] ks = candidates(chars[i]);
                if (ks != null) {
                    for (int k : ks) {
                        char[] t = text[k];
                        if (i + t.length <= length && charsAt(chars, i, t, caseless[k])) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static boolean charsAt(char[] chars, int at, char[] t, boolean caseless) {
            for (int j = 0; j < t.length; j++) {
                char c = chars[at + j];
                if ((caseless ? lower(c) : c) != t[j]) {
                    return false;
                }
            }
            return true;
        }
    }
}
