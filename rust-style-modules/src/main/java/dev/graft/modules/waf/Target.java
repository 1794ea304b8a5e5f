package dev.graft.modules.waf;

import static java.util.Objects.requireNonNull;

import dev.graft.modules.lua.LuaText;
import java.util.Optional;

/**
 * Where a rule looks (legacy-scripts/waf/README.md, "Targets"). Names of the parameterised
 * targets are Lua byte strings (one char per byte): header and cookie names lower-case,
 * argument names as configured.
 */
sealed interface Target {

    /** A whole request part. */
    record Part(Kind kind) implements Target {
        public Part {
            requireNonNull(kind, "kind");
        }
    }

    /** {@code header:<name>}: the values of one header. */
    record Header(String name) implements Target {
        public Header {
            requireNonNull(name, "name");
        }
    }

    /** {@code cookie:<name>}: the values of one cookie. */
    record Cookie(String name) implements Target {
        public Cookie {
            requireNonNull(name, "name");
        }
    }

    /** {@code arg:<name>}: the values of one query argument, then of one body argument. */
    record Arg(String name) implements Target {
        public Arg {
            requireNonNull(name, "name");
        }
    }

    /** The plain targets, by their Lua names. */
    enum Kind {
        METHOD("method"), PROTOCOL("protocol"), URI("uri"), RAW_URI("raw_uri"),
        ARGS("args"), ARG_NAMES("arg_names"), ARGS_COUNT("args_count"),
        BODY_ARGS("body_args"), BODY_ARG_NAMES("body_arg_names"), BODY("body"), BODY_STATUS("body_status"),
        HEADERS("headers"), HEADER_NAMES("header_names"), COOKIES("cookies"), COOKIE_NAMES("cookie_names"),
        CONTENT_LENGTH("content_length"), LENGTH_AND_CHUNKED("length_and_chunked");

        private final String luaName;

        Kind(String luaName) {
            this.luaName = luaName;
        }

        String luaName() {
            return luaName;
        }

        static Optional<Kind> byName(String name) {
            for (Kind k : values()) {
                if (k.luaName.equals(name)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * {@code valid_target(t)} and the normalisation of compile_rule: a plain name, or
     * {@code header|arg|cookie:<name>} (the kind in ASCII letters, a name of at least one char).
     */
    static Optional<Target> parse(Object t) {
        if (!(t instanceof String s)) {
            return Optional.empty();
        }
        Optional<Kind> plain = Kind.byName(s);
        if (plain.isPresent()) {
            return Optional.of(new Part(plain.get()));
        }
        int colon = s.indexOf(':');
        if (colon < 1 || colon == s.length() - 1) {
            return Optional.empty();
        }
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return Optional.empty();
            }
        }
        String kind = s.substring(0, colon);
        String name = LuaText.bytes(s.substring(colon + 1));
        return switch (kind) {
            case "header" -> Optional.of(new Header(LuaText.asciiLower(name)));
            case "cookie" -> Optional.of(new Cookie(LuaText.asciiLower(name)));
            case "arg" -> Optional.of(new Arg(name));
            default -> Optional.empty();
        };
    }
}
