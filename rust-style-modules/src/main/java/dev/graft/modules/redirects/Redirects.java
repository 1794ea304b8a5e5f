package dev.graft.modules.redirects;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.modules.lua.LuaText;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/** The matching of redirects, as pure functions: a path and rules in, a redirect (or none) out. */
final class Redirects {

    private Redirects() {}

    /**
     * Where to send the request.
     *
     * @param location the Location value
     * @param status   the redirect status
     */
    record Redirect(String location, int status) {}

    /**
     * The first rule that matches {@code path}, as the Lua module's rewrite.
     *
     * @param path   the decoded path ($uri)
     * @param args   the raw query string ($args)
     * @param errors receives the ERR line of a regex that fails at match time
     */
    static Optional<Redirect> find(List<CompiledRule> rules, String path, Optional<String> args, Consumer<String> errors) {
        String lowerPath = null;
        for (CompiledRule rule : rules) {
            String cmpPath = path;
            if (rule.ignoreCase() && rule.kind() != CompiledRule.Kind.REGEX) {
                if (lowerPath == null) {
                    lowerPath = LuaText.asciiLower(path);
                }
                cmpPath = lowerPath;
            }
            Optional<String> target = targetFor(rule, path, cmpPath, errors);
            if (target.isPresent()) {
                String t = target.get();
                if (rule.keepQuery() && args.isPresent() && !args.get().isEmpty()) {
                    t = t + (t.indexOf('?') >= 0 ? "&" : "?") + args.get();
                }
                return Optional.of(new Redirect(t, rule.status()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> targetFor(CompiledRule rule, String path, String cmpPath, Consumer<String> errors) {
        return switch (rule.kind()) {
            case EXACT -> cmpPath.equals(rule.from()) ? Optional.of(rule.to()) : Optional.empty();
            case PREFIX -> prefixRest(cmpPath, rule.from())
                    // the remainder is taken from the original-case path
                    .map(rest -> rule.to() + LuaText.escapePath(path.substring(path.length() - rest.length())));
            case REGEX -> regexTarget(rule, path, errors);
        };
    }

    /** Prefix rules match whole segments: "/old" matches "/old" and "/old/x", not "/older". */
    static Optional<String> prefixRest(String path, String from) {
        int n = from.length();
        if (!path.startsWith(from)) {
            return Optional.empty();
        }
        if (path.length() == n || from.charAt(n - 1) == '/' || path.charAt(n) == '/') {
            return Optional.of(path.substring(n));
        }
        return Optional.empty();
    }

    private static Optional<String> regexTarget(CompiledRule rule, String path, Consumer<String> errors) {
        PcreRegex.Result compiled = rule.regex().orElseThrow();
        return switch (compiled) {
            case PcreRegex.Failed f -> {
                errors.accept("redirects: regex " + rule.from() + ": " + f.message());
                yield Optional.empty();
            }
            case PcreRegex.Compiled c -> {
                Matcher m = c.pattern().matcher(path);
                if (c.options().anchored() ? m.lookingAt() : m.find()) {
                    yield Optional.of(expand(rule.to(), m));
                }
                yield Optional.empty();
            }
        };
    }

    /** Replaces $0..$9 with the escaped captures; a group that did not take part or does not exist is empty. */
    static String expand(String to, Matcher m) {
        if (to.indexOf('$') < 0) {
            return to;
        }
        StringBuilder out = new StringBuilder(to.length() + 16);
        int i = 0;
        while (i < to.length()) {
            char c = to.charAt(i);
            if (c == '$' && i + 1 < to.length() && to.charAt(i + 1) >= '0' && to.charAt(i + 1) <= '9') {
                int g = to.charAt(i + 1) - '0';
                if (g <= m.groupCount() && m.group(g) != null) {
                    out.append(LuaText.escapePath(m.group(g)));
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
