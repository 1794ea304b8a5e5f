package dev.graft.modules.cors;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;
import dev.graft.modules.lua.LuaText;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of {@code origin_patterns}, compiled once at load, anchored as {@code ^(?:p)$} (an
 * unanchored pattern would let https://example.com.evil.test in). A pattern that does not
 * compile is kept with its error: the Lua module logs and ignores it.
 *
 * @param source  the pattern as configured, as Lua bytes
 * @param pattern the anchored pattern, when it compiles
 * @param error   the compile error, when it does not
 */
public record OriginPattern(String source, Optional<Pattern> pattern, Optional<String> error) {

    public OriginPattern {
        requireNonNull(source, "source");
        requireNonNull(pattern, "pattern");
        requireNonNull(error, "error");
    }

    /** Compiles a configured pattern (Jackson binds list elements through this). */
    public static OriginPattern valueOf(String configured) {
        String source = LuaText.bytes(configured);
        if (source.isEmpty()) {
            return new OriginPattern(source, Optional.empty(), Optional.empty());
        }
        return switch (PcreRegex.compile("^(?:" + source + ")$", RegexOptions.NONE)) {
            case PcreRegex.Compiled c -> new OriginPattern(source, Optional.of(c.pattern()), Optional.empty());
            case PcreRegex.Failed f -> new OriginPattern(source, Optional.empty(), Optional.of(f.message()));
        };
    }

    /** Whether the lower-cased origin matches (ngx.re.find on the anchored pattern). */
    boolean matches(String lowerOrigin) {
        return pattern.isPresent() && pattern.get().matcher(lowerOrigin).find();
    }
}
