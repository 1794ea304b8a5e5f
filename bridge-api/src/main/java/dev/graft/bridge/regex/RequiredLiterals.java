package dev.graft.bridge.regex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Derives a {@link LiteralPrefilter} from a compiled {@code java.util.regex} pattern (the
 * translation PcrePattern made, with its flags): literals of which every match must contain
 * one. It reads the Java syntax that actually runs, so what it proves holds for the matcher.
 *
 * <table>
 *   <tr><th>piece</th><th>what it tells</th></tr>
 *   <tr><td>a literal char, {@code \x..}, {@code \t} ...</td><td>exactly that char (caseless under i: ASCII only, and under
 *       UNICODE_CASE only for ASCII chars no other char folds to, e.g. not k or s)</td></tr>
 *   <tr><td>a class of at most {@value #MAX_CLASS} plain chars</td><td>exactly one of them</td></tr>
 *   <tr><td>AB</td><td>the products of the exact sets while small, else the clauses of both</td></tr>
 *   <tr><td>A|B</td><td>the union of exact sets, or of one clause per branch</td></tr>
 *   <tr><td>X{n,m}, n &ge; 1</td><td>what n copies of X tell (a match starts with them)</td></tr>
 *   <tr><td>X?, X*, X{0,m}</td><td>nothing (may be empty), except X? of an exact X</td></tr>
 *   <tr><td>anchors, \b, lookaround</td><td>the empty string (their content is ignored)</td></tr>
 *   <tr><td>other classes, ., \d, back references</td><td>nothing</td></tr>
 * </table>
 *
 * Anything it does not parse with certainty (COMMENTS, LITERAL or CANON_EQ flags, class
 * unions or intersections, \Q, surrogate escapes, unknown escapes) gives no prefilter at
 * all: soundness over coverage. A pattern that can match the empty string gives none either.
 */
final class RequiredLiterals {

    /** Largest literal set kept (per exact set and per clause). */
    static final int MAX_SET = 64;
    /** Longest literal built by products. */
    static final int MAX_LENGTH = 64;
    /** Largest class taken as a set of literals. */
    static final int MAX_CLASS = 4;
    /** Clauses kept in the prefilter (each costs one scan of a subject that passes the ones before). */
    static final int MAX_CLAUSES = 2;

    private static final int UNSUPPORTED_FLAGS = Pattern.COMMENTS | Pattern.LITERAL | Pattern.CANON_EQ
            | Pattern.UNICODE_CHARACTER_CLASS;

    /** ASCII chars that some non-ASCII char matches under CASE_INSENSITIVE | UNICODE_CASE (bit per char). */
    private static final long UNICODE_FOLD_LO;
    private static final long UNICODE_FOLD_HI;

    static {
        long lo = 0;
        long hi = 0;
        for (int cp = 128; cp <= Character.MAX_CODE_POINT; cp++) {
            int up = Character.toUpperCase(cp);
            int[] relatives = {up, Character.toLowerCase(cp), Character.toLowerCase(up)};
            for (int r : relatives) {
                if (r < 128) {
                    for (int a : new int[] {r, asciiLowerCp(r), asciiUpperCp(r)}) {
                        if (a < 64) {
                            lo |= 1L << a;
                        } else {
                            hi |= 1L << (a - 64);
                        }
                    }
                }
            }
        }
        UNICODE_FOLD_LO = lo;
        UNICODE_FOLD_HI = hi;
    }

    /** A literal during analysis: may be empty; caseless ones are ASCII lower case. */
    private record Lit(String text, boolean caseless) {
        static Lit of(String text, boolean caseless) {
            boolean letters = false;
            for (int k = 0; k < text.length() && !letters; k++) {
                char c = text.charAt(k);
                letters = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            }
            boolean ci = caseless && letters;
            return new Lit(ci ? LiteralPrefilter.asciiLower(text) : text, ci);
        }

        Lit then(Lit b) {
            return of(text + b.text, caseless || b.caseless);
        }
    }

    /**
     * What a piece of the pattern tells: {@code exact}, when known, is every string it can
     * match (maybe the empty one); {@code clauses} are sets of non-empty literals that each
     * of its matches contains one of; {@code head} and {@code tail}, when known (X{n,m} of an
     * exact X), are sets every match starts with and ends with.
     */
    private record Info(Set<Lit> exact, List<Set<Lit>> clauses, Set<Lit> head, Set<Lit> tail) {
        Info(Set<Lit> exact, List<Set<Lit>> clauses) {
            this(exact, clauses, null, null);
        }

        List<Set<Lit>> allClauses() {
            if (exact == null) {
                return clauses;
            }
            for (Lit l : exact) {
                if (l.text().isEmpty()) {
                    return List.of();
                }
            }
            return List.of(exact);
        }
    }

    private static final Info EMPTY = new Info(Set.of(new Lit("", false)), List.of());
    private static final Info UNKNOWN = new Info(null, List.of());

    /** Thrown when the analysis cannot be sure: no prefilter. */
    private static final class Unsure extends Exception {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private final String p;
    private final int n;
    private int i;
    private boolean caseless;
    private boolean unicodeCase;

    private RequiredLiterals(String p, int flags) {
        this.p = p;
        this.n = p.length();
        this.caseless = (flags & Pattern.CASE_INSENSITIVE) != 0;
        this.unicodeCase = (flags & Pattern.UNICODE_CASE) != 0;
    }

    /** The prefilter of {@code pattern}, or empty when the analysis finds none it is sure of. */
    static Optional<LiteralPrefilter> of(Pattern pattern) {
        return of(pattern.pattern(), pattern.flags());
    }

    /** The prefilter of a Java pattern compiled with {@code flags}. */
    static Optional<LiteralPrefilter> of(String javaPattern, int flags) {
        if ((flags & UNSUPPORTED_FLAGS) != 0) {
            return Optional.empty();
        }
        RequiredLiterals r = new RequiredLiterals(javaPattern, flags);
        List<Set<Lit>> clauses;
        try {
            Info top = r.alternation();
            if (r.i != r.n) {
                return Optional.empty();
            }
            clauses = top.allClauses();
        } catch (Unsure | RuntimeException e) {
            // RuntimeException: a pattern this parser misreads (index past the end, bad number)
            return Optional.empty();
        }
        if (clauses.isEmpty()) {
            return Optional.empty();
        }
        List<List<LiteralPrefilter.Literal>> out = new ArrayList<>();
        for (Set<Lit> clause : best(clauses, MAX_CLAUSES)) {
            out.add(clause.stream().map(l -> new LiteralPrefilter.Literal(l.text(), l.caseless())).toList());
        }
        return Optional.of(LiteralPrefilter.of(out));
    }

    // ---------------------------------------------------------------- combining

    /** Higher is a better filter: longer shortest literal (up to 4), then fewer literals. */
    private static final Comparator<Set<Lit>> BETTER_FIRST = Comparator
            .comparingInt((Set<Lit> s) -> Math.min(4, s.stream().mapToInt(l -> l.text().length()).min().orElse(0)))
            .thenComparingInt(s -> -s.size())
            .reversed();

    private static List<Set<Lit>> best(List<Set<Lit>> clauses, int max) {
        Set<Set<Lit>> unique = new LinkedHashSet<>();
        for (Set<Lit> c : clauses) {
            unique.add(prune(c));
        }
        List<Set<Lit>> sorted = new ArrayList<>(unique);
        sorted.sort(BETTER_FIRST);
        return sorted.size() > max ? List.copyOf(sorted.subList(0, max)) : sorted;
    }

    /**
     * Drops the literals whose every occurrence contains another literal of the set (/pma/ when
     * /pma is there): the set then passes exactly the same subjects with less to compare.
     */
    private static Set<Lit> prune(Set<Lit> set) {
        Set<Lit> out = new LinkedHashSet<>();
        for (Lit y : set) {
            boolean covered = false;
            for (Lit x : set) {
                if (!x.equals(y) && covers(x, y)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                out.add(y);
            }
        }
        return out;
    }

    /** Whether every occurrence of {@code y} contains an occurrence of {@code x}. */
    private static boolean covers(Lit x, Lit y) {
        if (x.caseless()) {
            return LiteralPrefilter.asciiLower(y.text()).contains(x.text());
        }
        return !y.caseless() && y.text().contains(x.text());
    }

    private static Set<Lit> product(Set<Lit> a, Set<Lit> b) {
        if ((long) a.size() * b.size() > MAX_SET) {
            return null;
        }
        Set<Lit> out = new LinkedHashSet<>();
        for (Lit x : a) {
            for (Lit y : b) {
                if (x.text().length() + y.text().length() > MAX_LENGTH) {
                    return null;
                }
                out.add(x.then(y));
            }
        }
        return out;
    }

    private static Info concat(Info a, Info b) {
        if (a.exact() != null && b.exact() != null) {
            Set<Lit> prod = product(a.exact(), b.exact());
            if (prod != null) {
                return new Info(prod, List.of());
            }
        }
        List<Set<Lit>> all = new ArrayList<>(a.allClauses());
        all.addAll(b.allClauses());
        return new Info(null, best(all, 6));
    }

    private static Info alt(List<Info> branches) {
        if (branches.size() == 1) {
            return branches.get(0);
        }
        boolean allExact = branches.stream().allMatch(b -> b.exact() != null);
        if (allExact) {
            Set<Lit> union = new LinkedHashSet<>();
            branches.forEach(b -> union.addAll(b.exact()));
            if (union.size() <= MAX_SET) {
                return new Info(union, List.of());
            }
        }
        Set<Lit> union = new LinkedHashSet<>();
        for (Info b : branches) {
            List<Set<Lit>> cl = b.allClauses();
            if (cl.isEmpty()) {
                return UNKNOWN;
            }
            union.addAll(best(cl, 1).get(0));
        }
        return union.size() <= MAX_SET ? new Info(null, List.of(union)) : UNKNOWN;
    }

    /** X{min,max}; max -1 is unbounded. */
    private static Info repeat(Info x, long min, long max) {
        if (max == 0) {
            return EMPTY;
        }
        if (min == 0) {
            if (max == 1 && x.exact() != null && x.exact().size() < MAX_SET) {
                Set<Lit> s = new LinkedHashSet<>(x.exact());
                s.add(new Lit("", false));
                return new Info(s, List.of());
            }
            return UNKNOWN;
        }
        // a match starts with min copies of X: what they tell holds for it
        Info pow = x;
        long k = 1;
        while (k < min && k <= MAX_LENGTH && pow.exact() != null) {
            pow = concat(pow, x);
            k++;
        }
        if (k == min && min == max && pow.exact() != null) {
            return pow;
        }
        // ... and ends with them: literals before and after the repetition can join them
        Set<Lit> ends = k == min ? pow.exact() : null;
        return new Info(null, pow.allClauses(), ends, ends);
    }

    // ---------------------------------------------------------------- parsing (Java syntax)

    private Info alternation() throws Unsure {
        List<Info> branches = new ArrayList<>();
        branches.add(sequence());
        while (i < n && p.charAt(i) == '|') {
            i++;
            branches.add(sequence());
        }
        return alt(branches);
    }

    /**
     * A concatenation. Exact atoms are multiplied into a run while the product stays small, so
     * that {@code script} after {@code \s*} is one literal rather than six chars.
     */
    private Info sequence() throws Unsure {
        Set<Lit> run = EMPTY.exact();
        boolean allExact = true;
        List<Set<Lit>> clauses = new ArrayList<>();
        while (i < n) {
            char c = p.charAt(i);
            if (c == '|' || c == ')') {
                break;
            }
            Info atom = atom();
            if (atom == null) {
                // an inline flag group (?i): nothing to match, and nothing to quantify
                if (i < n && isQuantifierStart(p.charAt(i))) {
                    throw new Unsure();
                }
                continue;
            }
            Info a = quantified(atom);
            if (a.exact() != null) {
                Set<Lit> prod = product(run, a.exact());
                if (prod != null) {
                    run = prod;
                    continue;
                }
                allExact = false;
                clauses.addAll(new Info(run, List.of()).allClauses());
                run = a.exact();
            } else {
                allExact = false;
                Set<Lit> joined = a.head() == null ? null : product(run, a.head());
                clauses.addAll(new Info(joined != null ? joined : run, List.of()).allClauses());
                clauses.addAll(a.clauses());
                run = a.tail() != null ? a.tail() : EMPTY.exact();
            }
        }
        if (allExact) {
            return new Info(run, List.of());
        }
        clauses.addAll(new Info(run, List.of()).allClauses());
        return new Info(null, best(clauses, 6));
    }

    private static boolean isQuantifierStart(char c) {
        return c == '?' || c == '*' || c == '+' || c == '{';
    }

    private Info quantified(Info atom) throws Unsure {
        if (i >= n) {
            return atom;
        }
        long min;
        long max;
        switch (p.charAt(i)) {
            case '?' -> {
                min = 0;
                max = 1;
                i++;
            }
            case '*' -> {
                min = 0;
                max = -1;
                i++;
            }
            case '+' -> {
                min = 1;
                max = -1;
                i++;
            }
            case '{' -> {
                i++;
                min = number();
                if (i < n && p.charAt(i) == ',') {
                    i++;
                    max = i < n && isDigit(p.charAt(i)) ? number() : -1;
                } else {
                    max = min;
                }
                if (i >= n || p.charAt(i) != '}' || (max >= 0 && max < min)) {
                    throw new Unsure();
                }
                i++;
            }
            default -> {
                return atom;
            }
        }
        // lazy and possessive forms match the same strings
        if (i < n && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++;
        }
        if (i < n && isQuantifierStart(p.charAt(i))) {
            throw new Unsure();
        }
        return repeat(atom, min, max);
    }

    private long number() throws Unsure {
        int start = i;
        while (i < n && isDigit(p.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 9) {
            throw new Unsure();
        }
        return Long.parseLong(p.substring(start, i));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** One atom at i; null for an inline flag group that only changes flags. */
    private Info atom() throws Unsure {
        int cp = p.codePointAt(i);
        switch (cp) {
            case '(' -> {
                return group();
            }
            case '[' -> {
                return charClass();
            }
            case '\\' -> {
                return escape();
            }
            case '.' -> {
                i++;
                return UNKNOWN;
            }
            case '^', '$' -> {
                i++;
                return EMPTY;
            }
            case '*', '+', '?', '{' -> throw new Unsure();
            default -> {
                i += Character.charCount(cp);
                return literal(cp);
            }
        }
    }

    private Info group() throws Unsure {
        i++; // (
        boolean savedCase = caseless;
        boolean savedUnicode = unicodeCase;
        boolean zeroWidth = false;
        if (i < n && p.charAt(i) == '?') {
            char d = charAt(i + 1);
            switch (d) {
                case ':', '>' -> i += 2;
                case '=', '!' -> {
                    zeroWidth = true;
                    i += 2;
                }
                case '<' -> {
                    char e = charAt(i + 2);
                    if (e == '=' || e == '!') {
                        zeroWidth = true;
                        i += 3;
                    } else {
                        int close = p.indexOf('>', i + 2);
                        if (close < 0) {
                            throw new Unsure();
                        }
                        for (int k = i + 2; k < close; k++) {
                            char c = p.charAt(k);
                            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c))) {
                                throw new Unsure();
                            }
                        }
                        i = close + 1;
                    }
                }
                default -> {
                    i++;
                    boolean on = true;
                    while (i < n && p.charAt(i) != ')' && p.charAt(i) != ':') {
                        switch (p.charAt(i)) {
                            case '-' -> on = false;
                            case 'i' -> caseless = on;
                            case 'u' -> unicodeCase = on;
                            case 'm', 's', 'd' -> { }
                            default -> throw new Unsure();
                        }
                        i++;
                    }
                    if (i >= n) {
                        throw new Unsure();
                    }
                    if (p.charAt(i) == ')') {
                        i++;
                        return null; // the flags hold until the end of the enclosing group
                    }
                    i++; // (?flags: ... )
                }
            }
        }
        Info inner = alternation();
        if (i >= n || p.charAt(i) != ')') {
            throw new Unsure();
        }
        i++;
        caseless = savedCase;
        unicodeCase = savedUnicode;
        return zeroWidth ? EMPTY : inner;
    }

    private char charAt(int k) {
        return k < n ? p.charAt(k) : '\0';
    }

    /** An escape outside a class. */
    private Info escape() throws Unsure {
        i++; // backslash
        if (i >= n) {
            throw new Unsure();
        }
        char c = p.charAt(i);
        switch (c) {
            case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                while (i < n && isDigit(p.charAt(i))) {
                    i++;
                }
                return UNKNOWN; // a back reference
            }
            case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 'R', 'X' -> {
                i++;
                return UNKNOWN;
            }
            case 'p', 'P' -> {
                skipProperty();
                return UNKNOWN;
            }
            case 'b' -> {
                i++;
                if (i < n && p.charAt(i) == '{') {
                    skipTo('}');
                }
                return EMPTY;
            }
            case 'B', 'A', 'G', 'z', 'Z' -> {
                i++;
                return EMPTY;
            }
            case 'k' -> {
                if (charAt(i + 1) != '<') {
                    throw new Unsure();
                }
                skipTo('>');
                return UNKNOWN;
            }
            default -> {
                return literal(escapedChar());
            }
        }
    }

    /** Skips \p{..} or \pX, from the p. */
    private void skipProperty() throws Unsure {
        i++;
        if (i < n && p.charAt(i) == '{') {
            skipTo('}');
        } else {
            i++;
        }
    }

    /** Moves i past the next {@code close}. */
    private void skipTo(char close) throws Unsure {
        int end = p.indexOf(close, i);
        if (end < 0) {
            throw new Unsure();
        }
        i = end + 1;
    }

    /**
     * The code point of a single-char escape at i (the char after the backslash): \x, \0,
     * \t and friends, \cX, or an escaped non-alphanumeric char.
     */
    private int escapedChar() throws Unsure {
        char c = p.charAt(i);
        switch (c) {
            case 't' -> {
                i++;
                return '\t';
            }
            case 'n' -> {
                i++;
                return '\n';
            }
            case 'r' -> {
                i++;
                return '\r';
            }
            case 'f' -> {
                i++;
                return '\f';
            }
            case 'a' -> {
                i++;
                return 0x07;
            }
            case 'e' -> {
                i++;
                return 0x1B;
            }
            case 'c' -> {
                if (i + 1 >= n) {
                    throw new Unsure();
                }
                int v = p.charAt(i + 1) ^ 64;
                i += 2;
                return v;
            }
            case 'x' -> {
                if (charAt(i + 1) == '{') {
                    int end = p.indexOf('}', i);
                    if (end < 0) {
                        throw new Unsure();
                    }
                    int v = hex(i + 2, end);
                    i = end + 1;
                    return v;
                }
                int v = hex(i + 1, i + 3);
                i += 3;
                return v;
            }
            case 'u' -> {
                int v = hex(i + 1, i + 5);
                if (Character.isSurrogate((char) v)) {
                    throw new Unsure(); // Java may pair it with the next escape
                }
                i += 5;
                return v;
            }
            case '0' -> {
                // Java's octal: \0n, \0nn, \0mnn with m <= 3
                int a = octal(i + 1);
                if (a < 0) {
                    throw new Unsure();
                }
                int b = octal(i + 2);
                if (b < 0) {
                    i += 2;
                    return a;
                }
                int d = octal(i + 3);
                if (d >= 0 && a <= 3) {
                    i += 4;
                    return a * 64 + b * 8 + d;
                }
                i += 3;
                return a * 8 + b;
            }
            default -> {
                if (c < 128 && (Character.isLetterOrDigit(c))) {
                    throw new Unsure(); // \Q, \N, \E ... : not read here
                }
                int cp = p.codePointAt(i);
                i += Character.charCount(cp);
                return cp;
            }
        }
    }

    private int octal(int k) {
        char c = charAt(k);
        return c >= '0' && c <= '7' ? c - '0' : -1;
    }

    private int hex(int from, int to) throws Unsure {
        if (to > n || to <= from || to - from > 6) {
            throw new Unsure();
        }
        int v = 0;
        for (int k = from; k < to; k++) {
            int d = Character.digit(p.charAt(k), 16);
            if (d < 0 || p.charAt(k) >= 128) {
                throw new Unsure();
            }
            v = v * 16 + d;
        }
        if (v > Character.MAX_CODE_POINT) {
            throw new Unsure();
        }
        return v;
    }

    /** A char class, read to its end; a small set of plain chars, or nothing known. */
    private Info charClass() throws Unsure {
        i++; // [
        boolean negated = false;
        if (i < n && p.charAt(i) == '^') {
            negated = true;
            i++;
        }
        Set<Integer> chars = new LinkedHashSet<>();
        boolean wide = false;
        boolean first = true;
        while (true) {
            if (i >= n) {
                throw new Unsure();
            }
            char c = p.charAt(i);
            if (c == ']') {
                if (first) {
                    throw new Unsure(); // Java reads a leading ] as a literal; not worth the risk
                }
                i++;
                break;
            }
            if (c == '[' || (c == '&' && charAt(i + 1) == '&')) {
                throw new Unsure(); // union, intersection
            }
            first = false;
            int lo = classAtom();
            if (lo < 0) {
                wide = true;
                continue;
            }
            if (i < n && p.charAt(i) == '-' && charAt(i + 1) != ']') {
                i++;
                if (i < n && (p.charAt(i) == '[' || p.charAt(i) == '&')) {
                    throw new Unsure();
                }
                int hi = classAtom();
                if (hi < lo) {
                    throw new Unsure();
                }
                if (hi - lo >= MAX_CLASS) {
                    wide = true;
                } else {
                    for (int x = lo; x <= hi; x++) {
                        chars.add(x);
                    }
                }
                if (i < n && p.charAt(i) == '-' && charAt(i + 1) != ']') {
                    throw new Unsure();
                }
            } else {
                chars.add(lo);
            }
        }
        if (negated || wide) {
            return UNKNOWN;
        }
        Set<Lit> lits = new LinkedHashSet<>();
        for (int cp : chars) {
            Info one = literal(cp);
            if (one.exact() == null) {
                return UNKNOWN;
            }
            lits.addAll(one.exact());
        }
        return lits.size() <= MAX_CLASS ? new Info(lits, List.of()) : UNKNOWN;
    }

    /** One class member at i: its code point, or -1 for a predefined class (\d, \p{..} ...). */
    private int classAtom() throws Unsure {
        char c = p.charAt(i);
        if (c != '\\') {
            int cp = p.codePointAt(i);
            i += Character.charCount(cp);
            return cp;
        }
        i++;
        if (i >= n) {
            throw new Unsure();
        }
        char e = p.charAt(i);
        switch (e) {
            case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V' -> {
                i++;
                return -1;
            }
            case 'p', 'P' -> {
                skipProperty();
                return -1;
            }
            default -> {
                return escapedChar();
            }
        }
    }

    /** A code point as a literal under the current case flags. */
    private Info literal(int cp) {
        String s = new String(Character.toChars(cp));
        if (!caseless) {
            return new Info(Set.of(new Lit(s, false)), List.of());
        }
        if (unicodeCase && (cp >= 128 || unicodeFolds(cp))) {
            return UNKNOWN; // some other char matches it: not a plain ASCII-caseless literal
        }
        return new Info(Set.of(Lit.of(s, true)), List.of());
    }

    private static boolean unicodeFolds(int ascii) {
        return ascii < 64 ? (UNICODE_FOLD_LO & (1L << ascii)) != 0 : (UNICODE_FOLD_HI & (1L << (ascii - 64))) != 0;
    }

    private static int asciiLowerCp(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static int asciiUpperCp(int c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }
}
