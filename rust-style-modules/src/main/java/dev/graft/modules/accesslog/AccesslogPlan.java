package dev.graft.modules.accesslog;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings compiled once, as the Lua module's {@code compile(conf)}.
 *
 * @param level    the log level of the line
 * @param headers  lower-cased request header names, byte-sorted (a name may repeat)
 * @param exclude  path prefixes not logged
 * @param maxLen   the longest string value, in bytes
 * @param problems the messages for the values replaced by their default
 */
public record AccesslogPlan(LogLevel level, List<String> headers, List<String> exclude, long maxLen,
        ConfigProblems problems) {

    private static final Map<String, LogLevel> LEVELS = Map.of(
            "notice", LogLevel.NOTICE, "info", LogLevel.INFO, "warn", LogLevel.WARN, "err", LogLevel.ERR);

    public AccesslogPlan {
        requireNonNull(level, "level");
        headers = List.copyOf(headers);
        exclude = List.copyOf(exclude);
        requireNonNull(problems, "problems");
    }

    static AccesslogPlan compile(Optional<Object> level, Optional<Object> requestHeaders, Optional<Object> excludePaths,
            Optional<Object> maxValueLength) {
        List<String> problems = new ArrayList<>();
        LogLevel lv = LogLevel.NOTICE;
        if (level.isPresent()) {
            LogLevel found = level.get() instanceof String s ? LEVELS.get(LuaText.asciiLower(s)) : null;
            if (found != null) {
                lv = found;
            } else {
                problems.add("accesslog: level: " + LuaValues.toText(level) + " (expected: notice, info, warn or err)");
            }
        }
        List<String> headers = new ArrayList<>();
        if (requestHeaders.isPresent() && LuaValues.isTable(requestHeaders.get())) {
            if (requestHeaders.get() instanceof List<?> l) {
                for (Object name : l) {
                    if (name instanceof String s && !s.isEmpty()) {
                        headers.add(LuaText.asciiLower(s));
                    }
                }
            }
            headers.sort(null);
        } else if (requestHeaders.isPresent()) {
            problems.add("accesslog: request_headers: " + LuaValues.toText(requestHeaders)
                    + " (expected: a list of header names)");
        }
        List<String> exclude = new ArrayList<>();
        if (excludePaths.isPresent() && excludePaths.get() instanceof List<?> l) {
            for (Object p : l) {
                if (p instanceof String s && !s.isEmpty()) {
                    exclude.add(s);
                }
            }
        }
        long maxLen = 256;
        if (maxValueLength.isPresent()) {
            if (maxValueLength.get() instanceof Number n && n.doubleValue() >= 16 && n.doubleValue() % 1 == 0) {
                maxLen = (long) Math.min(n.doubleValue(), Integer.MAX_VALUE);
            } else {
                problems.add("accesslog: max_value_length: " + LuaValues.toText(maxValueLength)
                        + " (expected: an integer >= 16)");
            }
        }
        return new AccesslogPlan(lv, headers, exclude, maxLen, new ConfigProblems(problems));
    }
}
