package dev.graft.modules.cache;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;
import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings compiled once, as the Lua module's {@code compile(conf)}.
 *
 * @param rules               the usable rules, in order (a rule's position is its index + 1)
 * @param statuses            the statuses a rule applies to
 * @param anyCookie           whether any cookie makes a request private
 * @param cookies             cookie names that make a request private
 * @param bypassAuthorization whether Authorization makes a request private
 * @param privateOnSetCookie  whether a Set-Cookie in the response makes it private
 * @param keyHeader           the response header carrying the key, if any
 * @param problems            the messages for what was skipped
 */
public record CachePlan(List<CompiledCacheRule> rules, Set<Double> statuses, boolean anyCookie, List<String> cookies,
        boolean bypassAuthorization, boolean privateOnSetCookie, Optional<String> keyHeader, ConfigProblems problems) {

    static final List<Integer> DEFAULT_STATUSES = List.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final RegexOptions JO = jo();

    public CachePlan {
        rules = List.copyOf(rules);
        statuses = Set.copyOf(statuses);
        cookies = List.copyOf(cookies);
        requireNonNull(keyHeader, "keyHeader");
        requireNonNull(problems, "problems");
    }

    static CachePlan compile(List<CacheRule> ruleList, Optional<Object> keyHeaderSetting, Optional<Object> bc,
            Optional<Object> bypassAuthorizationSetting, Optional<Object> privateOnSetCookieSetting,
            Optional<Object> statusSetting) {
        List<String> problems = new ArrayList<>();
        List<CompiledCacheRule> rules = new ArrayList<>();
        int i = 0;
        for (CacheRule r : ruleList) {
            i++;
            compileRule("rules[" + i + "]", r, problems).ifPresent(rules::add);
        }

        Set<Double> statuses = new HashSet<>();
        List<?> statusList = DEFAULT_STATUSES;
        if (statusSetting.isPresent() && LuaValues.isTable(statusSetting.get())) {
            statusList = statusSetting.get() instanceof List<?> l ? l : List.of(); // an object: ipairs finds nothing
        } else if (statusSetting.isPresent()) {
            problems.add(invalid("statuses", LuaValues.toText(statusSetting), "a list of status codes"));
        }
        for (Object s : statusList) {
            LuaValues.toNumber(s).ifPresent(statuses::add);
        }

        boolean anyCookie = false;
        List<String> cookies = new ArrayList<>();
        if (bc.isEmpty()) {
            anyCookie = true;
        } else if (LuaValues.isTable(bc.get())) {
            if (bc.get() instanceof List<?> l) {
                for (Object name : l) {
                    if ("*".equals(name)) {
                        anyCookie = true;
                    } else if (name instanceof String s && !s.isEmpty()) {
                        cookies.add(s);
                    }
                }
            }
        } else {
            problems.add(invalid("bypass_cookies", LuaValues.toText(bc), "a list of cookie names"));
            anyCookie = true;
        }

        boolean bypassAuthorization = !Boolean.FALSE.equals(bypassAuthorizationSetting.orElse(null));
        boolean privateOnSetCookie = !Boolean.FALSE.equals(privateOnSetCookieSetting.orElse(null));
        Optional<String> keyHeader;
        if (keyHeaderSetting.isEmpty()) {
            keyHeader = Optional.of("X-Cache-Key");
        } else if (keyHeaderSetting.get() instanceof String s && !s.isEmpty()) {
            keyHeader = Optional.of(s);
        } else {
            keyHeader = Optional.empty(); // false or "": no header, the key is still kept in ngx.ctx
        }
        return new CachePlan(rules, statuses, anyCookie, cookies, bypassAuthorization, privateOnSetCookie, keyHeader,
                new ConfigProblems(problems));
    }

    private static Optional<CompiledCacheRule> compileRule(String field, CacheRule r, List<String> problems) {
        Optional<Object> ttl = r.ttl();
        Optional<Object> cc = r.cacheControl();
        if (r.prefix().isEmpty() == r.regex().isEmpty()) {
            problems.add(invalid(field, "prefix/regex", "exactly one of prefix or regex"));
        } else if (r.prefix().isPresent() && !(r.prefix().get() instanceof String p && !p.isEmpty())) {
            problems.add(invalid(field + ".prefix", LuaValues.toText(r.prefix()), "a non-empty path prefix"));
        } else if (r.regex().isPresent() && !(r.regex().get() instanceof String x
                && PcreRegex.compile("(?:" + x + ")?", JO) instanceof PcreRegex.Compiled)) {
            problems.add(invalid(field + ".regex", LuaValues.toText(r.regex()), "a valid regular expression"));
        } else if (cc.isEmpty() && !wholeSeconds(ttl)) {
            problems.add(invalid(field + ".ttl", LuaValues.toText(ttl), "whole seconds >= 0"));
        } else if (cc.isPresent() && !(cc.get() instanceof String s && !s.isEmpty())) {
            problems.add(invalid(field + ".cache_control", LuaValues.toText(cc), "a Cache-Control value"));
        } else {
            String value = cc.isPresent() ? (String) cc.get()
                    : "public, max-age=" + (long) ((Number) ttl.get()).doubleValue();
            boolean override = !Boolean.FALSE.equals(r.overrideOrigin().orElse(null));
            if (r.prefix().isPresent()) {
                return Optional.of(new CompiledCacheRule.Prefix((String) r.prefix().get(), value, override));
            }
            return Optional.of(new CompiledCacheRule.Regex(PcreRegex.compile((String) r.regex().get(), JO), value,
                    override));
        }
        return Optional.empty();
    }

    private static boolean wholeSeconds(Optional<Object> ttl) {
        if (ttl.isEmpty() || !(ttl.get() instanceof Number n)) {
            return false;
        }
        double d = n.doubleValue();
        return d >= 0 && d % 1 == 0 && d <= 2147483647;
    }

    private static String invalid(String field, String value, String expected) {
        return "cache: " + field + ": " + value + " (expected: " + expected + ")";
    }

    private static RegexOptions jo() {
        try {
            return RegexOptions.parse("jo");
        } catch (RegexOptions.UnknownFlag e) {
            throw new AssertionError(e);
        }
    }
}
