package dev.graft.modules.cors;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the Lua module's compile() works out from the settings and the request path reads:
 * the allowed methods and their header value, the allowed headers, the expose and max-age
 * values. Built once when the settings are bound.
 *
 * @param methods       methods a preflight may ask for (case-sensitive)
 * @param allowMethods  Access-Control-Allow-Methods ("" when configured empty)
 * @param allowHeaders  Access-Control-Allow-Headers when configured; empty: reflect
 * @param headerSet     the allowed request headers, lower case
 * @param expose        Access-Control-Expose-Headers, when any
 * @param maxAge        Access-Control-Max-Age, unless negative
 */
public record CorsPlan(List<String> methods, String allowMethods, Optional<String> allowHeaders, Set<String> headerSet,
        Optional<String> expose, Optional<String> maxAge) {

    public CorsPlan {
        methods = List.copyOf(methods);
        headerSet = Set.copyOf(headerSet);
    }

    private static List<String> usable(Optional<List<String>> list) {
        List<String> out = new ArrayList<>();
        list.ifPresent(l -> l.forEach(v -> {
            if (CorsConfig.usable(v)) {
                out.add(v);
            }
        }));
        return out;
    }

    static CorsPlan of(Optional<List<String>> methods, Optional<List<String>> headers,
            Optional<List<String>> exposeHeaders, Optional<Integer> maxAge) {
        List<String> methodList = methods.isPresent() ? usable(methods) : CorsConfig.DEFAULT_METHODS;
        List<String> headerList = usable(headers);
        Set<String> headerSet = new HashSet<>();
        headerList.forEach(h -> headerSet.add(LuaText.asciiLower(h)));
        List<String> expose = usable(exposeHeaders);
        int age = maxAge.orElse(600);
        return new CorsPlan(methodList, String.join(", ", methodList),
                headers.map(h -> String.join(", ", headerList)), headerSet,
                expose.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", expose)),
                age >= 0 ? Optional.of(Integer.toString(age)) : Optional.empty());
    }
}
