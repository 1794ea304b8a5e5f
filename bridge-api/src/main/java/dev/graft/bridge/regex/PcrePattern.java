package dev.graft.bridge.regex;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a PCRE pattern (what {@code ngx.re} takes) into a {@code java.util.regex}
 * pattern with the same meaning, or refuses it when Java would match differently.
 *
 * <table>
 *   <tr><th>PCRE</th><th>here</th></tr>
 *   <tr><td>{@code [[:alpha:]]} and the other POSIX classes, {@code [:^x:]}</td><td>translated to {@code \p{Alpha}} etc. (ASCII, as PCRE without UCP)</td></tr>
 *   <tr><td>{@code (?<n_x>..)}, {@code (?P<n>..)}, {@code (?'n'..)}</td><td>plain numbered groups; names are kept here, so any PCRE name works</td></tr>
 *   <tr><td>{@code \k<n>}, {@code \k'n'}, {@code \k{n}}, {@code \g{n}}, {@code \g{-1}}, {@code (?P=n)}, {@code \1}</td><td>numbered back references</td></tr>
 *   <tr><td>{@code a{,3}}, a lone {@code {}</td><td>literal, as PCRE 8</td></tr>
 *   <tr><td>{@code \x4}, {@code \o{101}}, {@code \012}</td><td>{@code \x{..}}</td></tr>
 *   <tr><td>{@code \N}</td><td>{@code [^\n]}</td></tr>
 *   <tr><td>{@code (?#...)}, extended mode whitespace and comments</td><td>removed here (Java's COMMENTS flag also ignores blanks inside classes; PCRE does not)</td></tr>
 *   <tr><td>{@code [a&&b]}, {@code [[]}</td><td>escaped: Java reads them as intersection and union</td></tr>
 *   <tr><td>{@code \p{Greek}}</td><td>{@code \p{IsGreek}}</td></tr>
 *   <tr><td>{@code \K}, {@code (?|..)}, conditionals, recursion and subroutine calls, {@code (*VERB)}, callouts, {@code \X}, {@code \C}, inline {@code (?U)}, {@code (?X)}, {@code (?J)}, the case escapes (backslash u, U, l, L)</td><td>refused</td></tr>
 * </table>
 *
 * Everything else ({@code \Q..\E}, lookaround, atomic groups, possessive and lazy
 * quantifiers, {@code \h \v \R \A \z \Z \b}) means the same in both and is copied.
 * The translated pattern must be compiled with {@code UNIX_LINES} so that only LF is a
 * newline for {@code . ^ $ \Z}, as in PCRE's default build.
 */
public final class PcrePattern {

    /** The outcome of a translation. */
    public sealed interface Result {}

    /** A Java pattern, its capture count and the group numbers of each PCRE name. */
    public record Translated(String javaPattern, int groupCount, Map<String, List<Integer>> names) implements Result {
        public Translated {
            requireNonNull(javaPattern, "javaPattern");
            names = Map.copyOf(names);
        }
    }

    /** Why the pattern cannot be run on java.util.regex with PCRE's meaning. */
    public record Refused(String reason) implements Result {
        public Refused {
            requireNonNull(reason, "reason");
        }
    }

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"), Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("print", "\\p{Print}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("xdigit", "\\p{XDigit}"), Map.entry("space", "\\s"),
            Map.entry("word", "\\w"), Map.entry("ascii", "\\p{ASCII}"));

    private final String p;
    private final boolean dupNames;
    private final int totalGroups;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, List<Integer>> names = new LinkedHashMap<>();
    private final Deque<Boolean> extendedStack = new ArrayDeque<>();
    private boolean extended;
    private int groups;
    private int i;

    private PcrePattern(String pattern, boolean extended, boolean dupNames) {
        this.p = pattern;
        this.extended = extended;
        this.dupNames = dupNames;
        this.totalGroups = countGroups(pattern);
    }

    /**
     * Translates {@code pattern}. {@code extended} is the x option; {@code dupNames} the D
     * option (a name may be used by several groups).
     */
    public static Result translate(String pattern, boolean extended, boolean dupNames) {
        requireNonNull(pattern, "pattern");
        PcrePattern t = new PcrePattern(pattern, extended, dupNames);
        try {
            t.run();
        } catch (Refusal r) {
            return new Refused(r.getMessage());
        }
        return new Translated(t.out.toString(), t.groups, t.names);
    }

    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private static Refusal unsupported(String what) {
        return new Refusal(what + " is not supported by Graft's java.util.regex engine");
    }

    private char at(int k) {
        return k < p.length() ? p.charAt(k) : '\0';
    }

    private boolean more(int k) {
        return k < p.length();
    }

    private void run() throws Refusal {
        while (more(i)) {
            char c = p.charAt(i);
            if (extended && isPcreSpace(c)) {
                i++;
                continue;
            }
            if (extended && c == '#') {
                while (more(i) && p.charAt(i) != '\n') {
                    i++;
                }
                i++;
                continue;
            }
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> charClass();
                case '(' -> openGroup();
                case ')' -> {
                    if (extendedStack.isEmpty()) {
                        throw new Refusal("unmatched parentheses");
                    }
                    extended = extendedStack.pop();
                    out.append(')');
                    i++;
                }
                case '{' -> brace();
                case '}' -> {
                    out.append("\\}");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        if (!extendedStack.isEmpty()) {
            throw new Refusal("missing )");
        }
    }

    private static boolean isPcreSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** A counted quantifier is copied; any other brace is a literal in PCRE 8. */
    private void brace() {
        int k = i + 1;
        int d1 = 0;
        while (Character.isDigit(at(k)) && at(k) < 128) {
            k++;
            d1++;
        }
        boolean quantifier = false;
        if (d1 > 0) {
            if (at(k) == '}') {
                quantifier = true;
            } else if (at(k) == ',') {
                k++;
                while (at(k) >= '0' && at(k) <= '9') {
                    k++;
                }
                quantifier = at(k) == '}';
            }
        }
        if (quantifier) {
            out.append(p, i, k + 1);
            i = k + 1;
        } else {
            out.append("\\{");
            i++;
        }
    }

    private void openGroup() throws Refusal {
        if (at(i + 1) == '*') {
            if (Character.isUpperCase(at(i + 2)) || at(i + 2) == ':') {
                throw unsupported("the (*VERB) construct");
            }
            pushGroup("(");
            i++;
            return;
        }
        if (at(i + 1) != '?') {
            groups++;
            pushGroup("(");
            i++;
            return;
        }
        char c = at(i + 2);
        switch (c) {
            case '#' -> {
                int end = p.indexOf(')', i);
                if (end < 0) {
                    throw new Refusal("missing ) after comment");
                }
                i = end + 1;
            }
            case ':', '=', '!', '>' -> {
                pushGroup("(?" + c);
                i += 3;
            }
            case '<' -> {
                if (at(i + 3) == '=' || at(i + 3) == '!') {
                    pushGroup("(?<" + at(i + 3));
                    i += 4;
                } else {
                    namedGroup(i + 3, '>');
                }
            }
            case '\'' -> namedGroup(i + 3, '\'');
            case 'P' -> {
                char d = at(i + 3);
                if (d == '<') {
                    namedGroup(i + 4, '>');
                } else if (d == '=') {
                    int end = p.indexOf(')', i);
                    if (end < 0) {
                        throw new Refusal("missing )");
                    }
                    backrefByName(p.substring(i + 4, end));
                    i = end + 1;
                } else {
                    throw unsupported("recursion (?P>name)");
                }
            }
            case '|' -> throw unsupported("the branch reset group (?|...)");
            case '(' -> throw unsupported("the conditional group (?(...)...)");
            case 'R', '&', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' ->
                    throw unsupported("recursion or a subroutine call (?" + c + "...)");
            case 'C' -> throw unsupported("the callout (?C)");
            default -> inlineOptions();
        }
    }

    /** (?imsx-imsx) or (?imsx-imsx: ...); x is done here, the rest by Java. */
    private void inlineOptions() throws Refusal {
        int k = i + 2;
        StringBuilder javaFlags = new StringBuilder();
        boolean on = true;
        boolean newExtended = extended;
        while (more(k) && at(k) != ')' && at(k) != ':') {
            char f = at(k);
            switch (f) {
                case '-' -> {
                    on = false;
                    javaFlags.append('-');
                }
                case 'i', 'm', 's' -> javaFlags.append(f);
                case 'x' -> newExtended = on;
                case 'U' -> throw unsupported("the inline ungreedy option (?U)");
                case 'X', 'J' -> throw unsupported("the inline option (?" + f + ")");
                default -> throw new Refusal("unrecognized character after (? or (?-");
            }
            k++;
        }
        if (!more(k)) {
            throw new Refusal("missing )");
        }
        String flags = javaFlags.toString();
        if (flags.endsWith("-")) {
            flags = flags.substring(0, flags.length() - 1);
        }
        if (at(k) == ')') {
            // applies to the rest of the enclosing group
            if (!flags.isEmpty()) {
                out.append("(?").append(flags).append(')');
            }
            extended = newExtended;
        } else {
            pushGroup(flags.isEmpty() ? "(?:" : "(?" + flags + ":");
            extended = newExtended;
        }
        i = k + 1;
    }

    private void pushGroup(String open) {
        extendedStack.push(extended);
        out.append(open);
    }

    private void namedGroup(int nameStart, char close) throws Refusal {
        int k = nameStart;
        while (more(k) && at(k) != close) {
            k++;
        }
        if (!more(k)) {
            throw new Refusal("syntax error in subpattern name (missing terminator)");
        }
        String name = p.substring(nameStart, k);
        checkName(name);
        groups++;
        List<Integer> nums = names.computeIfAbsent(name, n -> new ArrayList<>());
        if (!nums.isEmpty() && !dupNames) {
            throw new Refusal("two named subpatterns have the same name");
        }
        nums.add(groups);
        pushGroup("(");
        i = k + 1;
    }

    private static void checkName(String name) throws Refusal {
        if (name.isEmpty() || name.length() > 32 || Character.isDigit(name.charAt(0))) {
            throw new Refusal("invalid subpattern name \"" + name + "\"");
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (!(c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
                throw new Refusal("invalid subpattern name \"" + name + "\"");
            }
        }
    }

    private void backrefByName(String name) throws Refusal {
        List<Integer> nums = names.get(name);
        if (nums == null) {
            throw new Refusal("reference to non-existent subpattern \"" + name + "\"");
        }
        if (nums.size() > 1) {
            throw unsupported("a back reference to a duplicated name");
        }
        backref(nums.get(0));
    }

    private void backref(int n) throws Refusal {
        if (n < 1 || n > totalGroups) {
            throw new Refusal("reference to non-existent subpattern");
        }
        // wrapped so that a following literal digit is not read as part of the number
        out.append("(?:\\").append(n).append(')');
    }

    private void hexChar(int cp) {
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    /** An escape at i (the backslash), inside a class or not. */
    private void escape(boolean inClass) throws Refusal {
        if (!more(i + 1)) {
            throw new Refusal("\\ at end of pattern");
        }
        char c = p.charAt(i + 1);
        switch (c) {
            case '0' -> {
                int k = i + 2;
                int v = 0;
                while (k < i + 4 && at(k) >= '0' && at(k) <= '7') {
                    v = v * 8 + (at(k) - '0');
                    k++;
                }
                hexChar(v);
                i = k;
            }
            case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                int k = i + 1;
                while (at(k) >= '0' && at(k) <= '9') {
                    k++;
                }
                int n = Integer.parseInt(p.substring(i + 1, Math.min(k, i + 10)));
                if (!inClass && (n < 10 || n <= totalGroups)) {
                    backref(n);
                    i = k;
                } else if (c <= '7') {
                    // octal: up to three octal digits
                    int e = i + 1;
                    int v = 0;
                    while (e < i + 4 && at(e) >= '0' && at(e) <= '7') {
                        v = v * 8 + (at(e) - '0');
                        e++;
                    }
                    hexChar(v & 0xFF);
                    i = e;
                } else {
                    out.append(c);
                    i += 2;
                }
            }
            case 'x' -> {
                if (at(i + 2) == '{') {
                    int end = p.indexOf('}', i);
                    String hex = end < 0 ? "" : p.substring(i + 3, end);
                    if (hex.isEmpty() || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw new Refusal("invalid \\x{...} escape");
                    }
                    hexChar(Integer.parseInt(hex, 16));
                    i = end + 1;
                } else {
                    int k = i + 2;
                    int v = 0;
                    while (k < i + 4 && Character.digit(at(k), 16) >= 0 && at(k) < 128) {
                        v = v * 16 + Character.digit(at(k), 16);
                        k++;
                    }
                    hexChar(v);
                    i = k;
                }
            }
            case 'o' -> {
                int end = p.indexOf('}', i);
                if (at(i + 2) != '{' || end < 0) {
                    throw new Refusal("missing opening brace after \\o");
                }
                hexChar(Integer.parseInt(p.substring(i + 3, end), 8));
                i = end + 1;
            }
            case 'c' -> {
                out.append(p, i, Math.min(i + 3, p.length()));
                i += 3;
            }
            case 'p', 'P' -> property(c);
            case 'Q' -> {
                int end = p.indexOf("\\E", i + 2);
                String lit = end < 0 ? p.substring(i + 2) : p.substring(i + 2, end);
                for (int k = 0; k < lit.length(); k++) {
                    hexChar(lit.charAt(k));
                }
                i = end < 0 ? p.length() : end + 2;
            }
            case 'E' -> i += 2;
            case 'K' -> throw unsupported("\\K (reset the match start)");
            case 'X' -> throw unsupported("\\X (extended grapheme cluster)");
            case 'C' -> throw unsupported("\\C (one code unit)");
            case 'u', 'U', 'l', 'L' -> throw new Refusal("PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u");
            case 'N' -> {
                if (inClass || at(i + 2) == '{') {
                    throw new Refusal("\\N is not supported in a class or with braces");
                }
                out.append("[^\\n]");
                i += 2;
            }
            case 'g' -> gEscape();
            case 'k' -> {
                char open = at(i + 2);
                char close = open == '<' ? '>' : open == '\'' ? '\'' : open == '{' ? '}' : 0;
                int end = close == 0 ? -1 : p.indexOf(close, i + 3);
                if (end < 0) {
                    throw new Refusal("\\k is not followed by a braced, angle-bracketed, or quoted name");
                }
                backrefByName(p.substring(i + 3, end));
                i = end + 1;
            }
            case 'b' -> {
                if (inClass) {
                    hexChar(8);
                } else {
                    out.append("\\b");
                }
                i += 2;
            }
            case 'B', 'R', 'A', 'z', 'Z', 'G' -> {
                if (inClass) {
                    throw new Refusal("escape sequence is invalid in character class");
                }
                out.append('\\').append(c);
                i += 2;
            }
            case 'd', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V', 't', 'n', 'r', 'f', 'e', 'a' -> {
                out.append('\\').append(c);
                i += 2;
            }
            default -> {
                if (c < 128 && Character.isLetter(c)) {
                    // PCRE 8 without PCRE_EXTRA: an unknown letter escape is the letter
                    out.append(c);
                } else if (c < 128) {
                    out.append('\\').append(c);
                } else {
                    hexChar(c);
                }
                i += 2;
            }
        }
    }

    private void gEscape() throws Refusal {
        int k = i + 2;
        String ref;
        if (at(k) == '{') {
            int end = p.indexOf('}', k);
            if (end < 0) {
                throw new Refusal("a numbered reference must not be zero");
            }
            ref = p.substring(k + 1, end);
            i = end + 1;
        } else if (at(k) == '<' || at(k) == '\'') {
            throw unsupported("the subroutine call \\g<...>");
        } else {
            int e = k;
            if (at(e) == '-' || at(e) == '+') {
                e++;
            }
            while (at(e) >= '0' && at(e) <= '9') {
                e++;
            }
            ref = p.substring(k, e);
            i = e;
        }
        if (ref.matches("-?\\d+")) {
            int n = Integer.parseInt(ref);
            backref(n < 0 ? groups + 1 + n : n);
        } else {
            backrefByName(ref);
        }
    }

    private void property(char c) throws Refusal {
        String name;
        if (at(i + 2) == '{') {
            int end = p.indexOf('}', i);
            if (end < 0) {
                throw new Refusal("malformed \\P or \\p sequence");
            }
            name = p.substring(i + 3, end);
            i = end + 1;
        } else {
            name = String.valueOf(at(i + 2));
            i += 3;
        }
        boolean negate = c == 'P';
        if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
        }
        if (name.equals("L&")) {
            name = "LC";
        }
        if (name.equals("Any")) {
            out.append(negate ? "[^\\x{0}-\\x{10ffff}]" : "[\\x{0}-\\x{10ffff}]");
            return;
        }
        if (!name.matches("[A-Za-z_]+")) {
            throw new Refusal("unknown property name after \\P or \\p");
        }
        out.append(negate ? "\\P{Is" : "\\p{Is").append(name).append('}');
    }

    private void charClass() throws Refusal {
        out.append('[');
        i++;
        if (at(i) == '^') {
            out.append('^');
            i++;
        }
        boolean first = true;
        while (true) {
            if (!more(i)) {
                throw new Refusal("missing terminating ] for character class");
            }
            char c = p.charAt(i);
            if (c == ']' && !first) {
                out.append(']');
                i++;
                return;
            }
            first = false;
            if (c == '[' && (at(i + 1) == ':' || at(i + 1) == '.' || at(i + 1) == '=')) {
                int end = p.indexOf(at(i + 1) + "]", i + 2);
                if (end < 0) {
                    out.append("\\[");
                    i++;
                    continue;
                }
                if (at(i + 1) != ':') {
                    throw new Refusal("POSIX collating elements are not supported");
                }
                String name = p.substring(i + 2, end);
                boolean negate = name.startsWith("^");
                if (negate) {
                    name = name.substring(1);
                }
                String java = POSIX.get(name);
                if (java == null) {
                    throw new Refusal("unknown POSIX class name");
                }
                if (negate) {
                    // \p{X} -> \P{X}, \s -> \S, \w -> \W
                    java = java.startsWith("\\p") ? "\\P" + java.substring(2) : "\\" + Character.toUpperCase(java.charAt(1));
                }
                out.append(java);
                i = end + 2;
                continue;
            }
            switch (c) {
                case '\\' -> escape(true);
                case '[', '&' -> {
                    out.append('\\').append(c);
                    i++;
                }
                case ']' -> {
                    out.append("\\]");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
    }

    /** Capturing groups in the whole pattern, for PCRE's rule on \10 (back reference or octal). */
    private static int countGroups(String p) {
        int n = 0;
        boolean inClass = false;
        for (int k = 0; k < p.length(); k++) {
            char c = p.charAt(k);
            if (c == '\\') {
                k++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (k + 1 < p.length() && p.charAt(k + 1) == ']') {
                    k++;
                }
            } else if (c == '(') {
                char d = k + 1 < p.length() ? p.charAt(k + 1) : 0;
                char e = k + 2 < p.length() ? p.charAt(k + 2) : 0;
                if (d != '?' && d != '*') {
                    n++;
                } else if (d == '?' && (e == '\'' || (e == '<' && k + 3 < p.length() && p.charAt(k + 3) != '='
                        && p.charAt(k + 3) != '!') || (e == 'P' && k + 3 < p.length() && p.charAt(k + 3) == '<'))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The translation as text for error messages: empty when it was refused. */
    static Optional<String> javaOf(Result r) {
        return switch (r) {
            case Translated t -> Optional.of(t.javaPattern());
            case Refused ref -> Optional.empty();
        };
    }
}
