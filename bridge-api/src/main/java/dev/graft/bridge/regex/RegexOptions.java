package dev.graft.bridge.regex;

/**
 * The option letters of {@code ngx.re} functions, parsed. {@code o} and {@code j} are
 * accepted and have no effect here (every pattern is cached and Java compiles lazily).
 * {@code d} (DFA mode) and {@code J} (JavaScript compatibility) are valid in OpenResty but
 * not supported: they give a compile error, never a silent change of meaning.
 */
public record RegexOptions(boolean caseless, boolean multiline, boolean dotall, boolean extended, boolean utf8,
        boolean anchored, boolean dupNames, String unsupported) {

    public static final RegexOptions NONE = new RegexOptions(false, false, false, false, false, false, false, "");

    /** A bad letter: OpenResty raises a Lua error for it rather than returning nil, err. */
    public static final class UnknownFlag extends Exception {
        UnknownFlag(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses option letters; {@code s} holds one letter per char. */
    public static RegexOptions parse(CharSequence s) throws UnknownFlag {
        boolean i = false;
        boolean m = false;
        boolean sl = false;
        boolean x = false;
        boolean u = false;
        boolean a = false;
        boolean d = false;
        String unsupported = "";
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case 'i' -> i = true;
                case 'm' -> m = true;
                case 's' -> sl = true;
                case 'x' -> x = true;
                case 'u', 'U' -> u = true;
                case 'a' -> a = true;
                case 'D' -> d = true;
                case 'o', 'j' -> { }
                case 'd' -> unsupported = "the DFA mode (option d)";
                case 'J' -> unsupported = "the JavaScript compatible mode (option J)";
                default -> throw new UnknownFlag("unknown flag \"" + c + "\" (flags \"" + s + "\")");
            }
        }
        return new RegexOptions(i, m, sl, x, u, a, d, unsupported);
    }
}
