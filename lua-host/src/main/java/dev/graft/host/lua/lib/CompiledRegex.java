package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.LiteralPrefilter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaString;

/**
 * One compiled {@code ngx.re} pattern with its options, run on Lua byte strings.
 *
 * <p>Bytes and chars: without the u option every byte is one char (ISO-8859-1), so char
 * offsets are byte offsets and no copy is made. With u the subject is decoded from UTF-8
 * once per call (invalid UTF-8: PCRE's error -10) and offsets are mapped back to bytes.
 * Offsets given to and returned by {@link #exec} are always byte offsets.
 *
 * <p>Backtracking guard: java.util.regex has no match limit and LuaJ's instruction budget
 * does not see time spent inside it, so the subject is wrapped in a CharSequence that
 * counts every char read and fails the match after {@code matchLimit} reads, reported as
 * PCRE's match-limit error (-8).
 *
 * <p>Prefilter: when the pattern has required literals ({@link LiteralPrefilter}, the same
 * one the Java WAF port uses), a subject without them is "no match" at once, as PCRE's own
 * required-character check answers it: no read budget is spent, so such a subject never
 * reports -8 even where the backtracking matcher would have run out of budget first.
 *
 * <p>Not thread-safe: it lives in one VM's {@link RegexCache}.
 */
public final class CompiledRegex {

    /** pcre_exec's error codes that ngx.re reports as "pcre_exec() failed: N". */
    static final int ERROR_MATCH_LIMIT = -8;
    static final int ERROR_BAD_UTF8 = -10;
    static final int ERROR_BAD_UTF8_OFFSET = -11;
    static final int ERROR_BAD_OFFSET = -24;

    private final Pattern pattern;
    private final boolean utf8;
    private final boolean anchored;
    private final int groupCount;
    private final Map<String, List<Integer>> names;
    private final long matchLimit;
    /** Null when the pattern has no prefilter (a field read on every exec, not an Optional). */
    private final LiteralPrefilter prefilter;
    private Matcher matcher;

    CompiledRegex(Pattern pattern, boolean utf8, boolean anchored, Map<String, List<Integer>> names, long matchLimit,
            Optional<LiteralPrefilter> prefilter) {
        this.pattern = requireNonNull(pattern, "pattern");
        this.prefilter = requireNonNull(prefilter, "prefilter").orElse(null);
        this.utf8 = utf8;
        this.anchored = anchored;
        this.names = requireNonNull(names, "names");
        this.groupCount = pattern.matcher("").groupCount();
        this.matchLimit = matchLimit;
    }

    int groupCount() {
        return groupCount;
    }

    Map<String, List<Integer>> names() {
        return names;
    }

    boolean utf8() {
        return utf8;
    }

    /** A failed exec, with PCRE's error code. */
    static final class ExecError extends Exception {
        final int code;

        ExecError(int code) {
            super("pcre_exec() failed: " + code, null, false, false);
            this.code = code;
        }
    }

    /** Thrown from inside the matcher when the read budget is spent. */
    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super("match limit", null, false, false);
        }
    }

    /** The subject of one or more execs: a Lua string seen as chars, with a read counter. */
    final class Subject implements CharSequence {
        final LuaString source;
        private final char[] chars;
        private final int[] byteOfChar;
        private final int length;
        private long budget;

        Subject(LuaString source) throws ExecError {
            this.source = source;
            if (!utf8) {
                chars = null;
                byteOfChar = null;
                length = source.m_length;
                return;
            }
            Utf8 d = Utf8.decode(source);
            if (d == null) {
                throw new ExecError(ERROR_BAD_UTF8);
            }
            chars = d.chars;
            byteOfChar = d.byteOfChar;
            length = d.length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new LimitReached();
            }
            return chars == null ? (char) (source.m_bytes[source.m_offset + index] & 0xFF) : chars[index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            StringBuilder sb = new StringBuilder(end - start);
            for (int k = start; k < end; k++) {
                sb.append(chars == null ? (char) (source.m_bytes[source.m_offset + k] & 0xFF) : chars[k]);
            }
            return sb;
        }

        @Override
        public String toString() {
            return subSequence(0, length).toString();
        }

        /** False when no match can start at or after char {@code from}: the prefilter rejects it. */
        boolean mayMatch(LiteralPrefilter filter, int from) {
            return chars == null ? filter.mayMatchLatin1(source.m_bytes, source.m_offset, length, from)
                    : filter.mayMatch(chars, length, from);
        }

        int toByte(int charIndex) {
            return byteOfChar == null ? charIndex : byteOfChar[charIndex];
        }

        /** Char index of a byte offset; -1 when it falls inside a UTF-8 sequence. */
        int toChar(int byteOffset) {
            if (byteOfChar == null) {
                return byteOffset;
            }
            int idx = java.util.Arrays.binarySearch(byteOfChar, 0, length + 1, byteOffset);
            // a low surrogate's entry lies inside its UTF-8 sequence: not a char boundary
            return idx < 0 || (idx < length && Character.isLowSurrogate(chars[idx])) ? -1 : idx;
        }

        /** The byte offset one char after {@code byteOffset} (for stepping over an empty match). */
        int nextCharByte(int byteOffset) {
            if (byteOfChar == null) {
                return byteOffset + 1;
            }
            int c = toChar(byteOffset);
            if (c < 0 || c >= length) {
                return byteOffset + 1;
            }
            // a supplementary character is two chars but one UTF-8 sequence
            int step = Character.isHighSurrogate(chars[c]) && c + 2 <= length ? 2 : 1;
            return byteOfChar[c + step];
        }
    }

    Subject subject(LuaString s) throws ExecError {
        return new Subject(s);
    }

    /**
     * Runs the pattern on {@code subject} from byte offset {@code start}. Returns the byte
     * offsets of group 0..n as pairs (-1 for a group that did not take part), or null when
     * there is no match.
     */
    int[] exec(Subject subject, int start) throws ExecError {
        if (start < 0 || start > subject.source.m_length) {
            throw new ExecError(ERROR_BAD_OFFSET);
        }
        int from = subject.toChar(start);
        if (from < 0) {
            throw new ExecError(ERROR_BAD_UTF8_OFFSET);
        }
        if (prefilter != null && !subject.mayMatch(prefilter, from)) {
            return null;
        }
        subject.budget = matchLimit;
        // one Matcher per pattern and VM, reset per exec: safe even when a gsub callback
        // runs this pattern again, because exec copies its result out before returning
        Matcher m = matcher;
        if (m == null) {
            m = pattern.matcher(subject);
            m.useTransparentBounds(true);
            m.useAnchoringBounds(false);
            matcher = m;
        } else {
            m.reset(subject);
        }
        m.region(from, subject.length());
        try {
            if (!(anchored ? m.lookingAt() : m.find())) {
                return null;
            }
            int[] offsets = new int[(groupCount + 1) * 2];
            for (int g = 0; g <= groupCount; g++) {
                int s = m.start(g);
                offsets[2 * g] = s < 0 ? -1 : subject.toByte(s);
                offsets[2 * g + 1] = s < 0 ? -1 : subject.toByte(m.end(g));
            }
            return offsets;
        } catch (LimitReached e) {
            throw new ExecError(ERROR_MATCH_LIMIT);
        } catch (StackOverflowError e) {
            // deep recursion in java.util.regex on long alternations: PCRE's recursion limit
            throw new ExecError(ERROR_MATCH_LIMIT);
        } finally {
            // do not keep the subject (maybe a request body) reachable from the cache
            m.reset("");
        }
    }

    /** A UTF-8 decoding with the byte offset of every char (and of the end). */
    static final class Utf8 {
        final char[] chars;
        final int[] byteOfChar;
        final int length;

        private Utf8(char[] chars, int[] byteOfChar, int length) {
            this.chars = chars;
            this.byteOfChar = byteOfChar;
            this.length = length;
        }

        /** Strict decoding (no overlongs, no surrogates, at most U+10FFFF); null if invalid. */
        static Utf8 decode(LuaString s) {
            byte[] b = s.m_bytes;
            int off = s.m_offset;
            int n = s.m_length;
            char[] chars = new char[n];
            int[] pos = new int[n + 1];
            int c = 0;
            int i = 0;
            while (i < n) {
                int b0 = b[off + i] & 0xFF;
                int cp;
                int len;
                if (b0 < 0x80) {
                    cp = b0;
                    len = 1;
                } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                    cp = b0 & 0x1F;
                    len = 2;
                } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                    cp = b0 & 0x0F;
                    len = 3;
                } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                    cp = b0 & 0x07;
                    len = 4;
                } else {
                    return null;
                }
                if (i + len > n) {
                    return null;
                }
                for (int k = 1; k < len; k++) {
                    int bk = b[off + i + k] & 0xFF;
                    if ((bk & 0xC0) != 0x80) {
                        return null;
                    }
                    cp = (cp << 6) | (bk & 0x3F);
                }
                if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
                    return null;
                }
                if (cp >= 0x10000) {
                    pos[c] = i;
                    chars[c++] = Character.highSurrogate(cp);
                    // the low surrogate has no byte of its own: give it one inside the sequence,
                    // which keeps the table strictly increasing for binary search
                    pos[c] = i + 1;
                    chars[c++] = Character.lowSurrogate(cp);
                } else {
                    pos[c] = i;
                    chars[c++] = (char) cp;
                }
                i += len;
            }
            pos[c] = n;
            return new Utf8(chars, pos, c);
        }
    }
}
