package dev.graft.bridge.regex;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a PCRE pattern with {@code ngx.re}'s option letters into a {@code java.util.regex}
 * pattern of the same meaning: the one engine that both the Lua host's {@code ngx.re} and the
 * Java stages use, so a port matches exactly what its Lua module matched.
 *
 * <p>The pattern text is what the subject will be matched as: for byte strings without the
 * {@code u} option, each byte is one char (ISO-8859-1); with {@code u}, the decoded UTF-8.
 * Compile once (at config load or in a cache), never per request.
 */
public final class PcreRegex {

    private PcreRegex() {}

    /** A compilation's outcome. */
    public sealed interface Result {}

    /**
     * A compiled pattern.
     *
     * @param pattern  the Java pattern
     * @param options  the parsed options (anchored, utf8, ...)
     * @param names     named groups, by name, to their group numbers
     * @param prefilter literals every match contains (see {@link LiteralPrefilter}); empty when
     *                  the pattern has none that {@link RequiredLiterals} can prove. A subject it
     *                  rejects has no match: callers answer "no match" without running the
     *                  matcher (and so without spending the match budget)
     */
    public record Compiled(Pattern pattern, RegexOptions options, Map<String, List<Integer>> names,
            Optional<LiteralPrefilter> prefilter) implements Result {
        public Compiled {
            requireNonNull(pattern, "pattern");
            requireNonNull(options, "options");
            names = Map.copyOf(names);
            requireNonNull(prefilter, "prefilter");
        }
    }

    /** Why a pattern was refused, worded as OpenResty's {@code pcre_compile() failed: ...}. */
    public record Failed(String message) implements Result {
        public Failed {
            requireNonNull(message, "message");
        }
    }

    /**
     * Compiles {@code pattern} with the option letters {@code options}.
     *
     * @throws RegexOptions.UnknownFlag for an option letter OpenResty does not know (it raises
     *                                  a Lua error for those rather than returning an error)
     */
    public static Result compile(String pattern, String options) throws RegexOptions.UnknownFlag {
        return compile(pattern, RegexOptions.parse(options));
    }

    /** Compiles {@code pattern} with parsed options. */
    public static Result compile(String pattern, RegexOptions opts) {
        requireNonNull(pattern, "pattern");
        requireNonNull(opts, "opts");
        if (!opts.unsupported().isEmpty()) {
            return new Failed("pcre_compile() failed: " + opts.unsupported() + " is not supported by Graft");
        }
        PcrePattern.Result r = PcrePattern.translate(pattern, opts.extended(), opts.dupNames());
        return switch (r) {
            case PcrePattern.Refused ref -> new Failed("pcre_compile() failed: " + ref.reason() + " in \"" + pattern + "\"");
            case PcrePattern.Translated t -> {
                try {
                    Pattern compiled = Pattern.compile(t.javaPattern(), flags(opts));
                    yield new Compiled(compiled, opts, t.names(), RequiredLiterals.of(compiled));
                } catch (PatternSyntaxException e) {
                    yield new Failed("pcre_compile() failed: " + e.getDescription() + " in \"" + pattern + "\"");
                }
            }
        };
    }

    private static int flags(RegexOptions opts) {
        // Only LF is a newline for . ^ $ in PCRE's default build.
        int flags = Pattern.UNIX_LINES;
        if (opts.caseless()) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        if (opts.utf8()) {
            // PCRE folds non-ASCII case in UTF-8 mode, also for an inline (?i)
            flags |= Pattern.UNICODE_CASE;
        }
        if (opts.multiline()) {
            flags |= Pattern.MULTILINE;
        }
        if (opts.dotall()) {
            flags |= Pattern.DOTALL;
        }
        return flags;
    }
}
