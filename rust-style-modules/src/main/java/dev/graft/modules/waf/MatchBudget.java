package dev.graft.modules.waf;

import static java.util.Objects.requireNonNull;

/**
 * A regex subject that fails the match after a number of char reads: the backtracking guard
 * of Graft's {@code ngx.re} (lua-host CompiledRegex, standing in for PCRE's match limit), with
 * the same budget, so a pathological value fails the same way on both sides. A failed match
 * ({@code pcre_exec() failed: -8} in Lua) is no match for {@code rx} and a match for {@code !rx}.
 */
final class MatchBudget implements CharSequence {

    /** Char reads per exec: lua-host RegexCache.DEFAULT_MATCH_LIMIT. */
    static final long MATCH_LIMIT = 10_000_000L;

    /** Thrown from inside the matcher when the budget is spent. */
    static final class Spent extends RuntimeException {
        Spent() {
            super("match limit", null, false, false);
        }
    }

    private final String s;
    private long budget;

    MatchBudget(String s, long budget) {
        this.s = requireNonNull(s, "s");
        this.budget = budget;
    }

    @Override
    public int length() {
        return s.length();
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw new Spent();
        }
        return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return s.substring(start, end);
    }

    @Override
    public String toString() {
        return s;
    }
}
