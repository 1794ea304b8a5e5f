package dev.graft.modules.router;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;
import dev.graft.modules.lua.LuaText;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A route's {@code regex}, compiled once at load with the engine ngx.re uses (options "jo").
 * One that does not compile keeps its error: the Lua module logs the route and skips it.
 *
 * @param source  the pattern as configured, as Lua bytes
 * @param pattern the pattern, when it compiles
 * @param error   the compile error, when it does not
 */
public record RouteRegex(String source, Optional<Pattern> pattern, Optional<String> error) {

    public static RouteRegex valueOf(String configured) {
        String source = LuaText.bytes(configured);
        return switch (PcreRegex.compile(source, RegexOptions.NONE)) {
            case PcreRegex.Compiled c -> new RouteRegex(source, Optional.of(c.pattern()), Optional.empty());
            case PcreRegex.Failed f -> new RouteRegex(source, Optional.empty(), Optional.of(f.message()));
        };
    }

    /** ngx.re.find: a match anywhere (the pattern anchors if it wants to). */
    boolean find(String uri) {
        return pattern.isPresent() && pattern.get().matcher(uri).find();
    }
}
