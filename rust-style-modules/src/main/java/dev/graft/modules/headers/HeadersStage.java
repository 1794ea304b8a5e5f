package dev.graft.modules.headers;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** headers in Java: the rewrite and header_filter phases of {@code legacy-scripts/headers/handler.lua}. */
public final class HeadersStage implements StageModule<HeadersConfig> {

    @Override
    public String name() {
        return "headers";
    }

    @Override
    public Class<HeadersConfig> configType() {
        return HeadersConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.REWRITE, Phase.HEADER_FILTER);
    }

    @Override
    public Outcome rewrite(StageExchange exchange, HeadersConfig config) {
        requireNonNull(exchange, "exchange");
        HeadersPlan plan = requireNonNull(config, "config").plan();
        plan.problems().reportOnce(exchange);
        if (!plan.hasRequestEdits()) {
            return Outcome.proceed();
        }
        HeaderFields h = exchange.request().headers();
        for (String name : plan.requestRemove()) {
            h.remove(name);
        }
        for (NameValues nv : plan.requestSet()) {
            HeaderWrites.setRequest(h, nv.name(), nv.values());
        }
        if (!plan.requestAdd().isEmpty()) {
            // the Lua module reads the headers once, before the adds: two spellings of one name
            // both start from what the request had
            Map<String, List<String>> current = new HashMap<>();
            for (NameValues nv : plan.requestAdd()) {
                String key = lookupKey(nv.name());
                current.computeIfAbsent(key, k -> h.all(k));
            }
            for (NameValues nv : plan.requestAdd()) {
                List<String> out = new ArrayList<>(current.get(lookupKey(nv.name())));
                out.addAll(nv.values());
                HeaderWrites.setRequest(h, nv.name(), out);
            }
        }
        return Outcome.proceed();
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, HeadersConfig config) {
        requireNonNull(exchange, "exchange");
        HeadersPlan plan = requireNonNull(config, "config").plan();
        plan.problems().reportOnce(exchange);
        HeaderFields h = exchange.response().headers();
        for (String name : plan.responseRemove()) {
            HeaderWrites.removeResponse(h, name);
        }
        for (NameValues nv : plan.responseSet()) {
            HeaderWrites.setResponse(h, nv.name(), nv.values());
        }
        for (NameValues nv : plan.responseAdd()) {
            List<String> out = new ArrayList<>(HeaderWrites.getResponse(h, nv.name()));
            out.addAll(nv.values());
            HeaderWrites.setResponse(h, nv.name(), out);
        }
        for (NameValues nv : plan.security()) {
            HeaderWrites.setResponse(h, nv.name(), nv.values());
        }
        if (plan.hideServer()) {
            h.remove("Server");
            h.remove("X-Powered-By");
        }
        return Outcome.proceed();
    }

    /** How a get_headers() table finds a name: lower case, '_' read as '-'. */
    private static String lookupKey(String name) {
        return LuaText.asciiLower(name).replace('_', '-');
    }
}
