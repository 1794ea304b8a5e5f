package dev.graft.host.bridge;

import dev.graft.bridge.BodyChunk;
import dev.graft.bridge.CtxKey;
import dev.graft.bridge.CtxType;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A test stage with every phase (test resources register it): by default each phase marks
 * that Java served it; request headers make a chosen phase fall back ({@code X-Java-Fallback:
 * <phase>}), throw ({@code X-Java-Throw}), exit ({@code X-Java-Exit}) or return an outcome its
 * phase cannot have ({@code X-Java-Bad}). Its Lua twin is bridge-scripts/probe/handler.lua.
 */
public final class ProbeStage implements StageModule<ProbeStage.ProbeConfig> {

    static final CtxKey<Long> COUNT = CtxKey.of("probe_count", CtxType.INT);

    /**
     * @param label    any text; the Lua handler's validate refuses "lua-refuses"
     * @param maxItems 0 or more (JSON max_items), checks the snake_case binding
     */
    public record ProbeConfig(Optional<String> label, Optional<Integer> maxItems) {
        public ProbeConfig {
            label = label == null ? Optional.empty() : label;
            maxItems = maxItems == null ? Optional.empty() : maxItems;
            maxItems.ifPresent(n -> {
                if (n < 0) {
                    throw new IllegalArgumentException("max_items: " + n + " (expected: 0 or more)");
                }
            });
            if (label.filter("java-refuses"::equals).isPresent()) {
                throw new IllegalArgumentException("label: \"java-refuses\" (expected: anything else)");
            }
        }
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public Class<ProbeConfig> configType() {
        return ProbeConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return EnumSet.allOf(Phase.class);
    }

    private static Optional<Outcome> special(StageExchange ex, Phase p) {
        var h = ex.request().headers();
        if (h.first("X-Java-Fallback").filter(p.luaName()::equals).isPresent()) {
            return Optional.of(Outcome.fallback("test_reason"));
        }
        if (h.first("X-Java-Throw").filter(p.luaName()::equals).isPresent()) {
            throw new IllegalStateException("probe: java failed in " + p.luaName());
        }
        if (h.first("X-Java-Exit").filter(p.luaName()::equals).isPresent()) {
            return Optional.of(p == Phase.HEADER_FILTER ? Outcome.exit(502) : Outcome.exit(403));
        }
        if (h.first("X-Java-Bad").filter(p.luaName()::equals).isPresent()) {
            return Optional.of(Outcome.exit(200, List.of(), new byte[0]));
        }
        return Optional.empty();
    }

    @Override
    public Outcome rewrite(StageExchange ex, ProbeConfig config) {
        return special(ex, Phase.REWRITE).orElseGet(() -> {
            ex.variable("java_rewrite", "1");
            return Outcome.proceed();
        });
    }

    @Override
    public Outcome access(StageExchange ex, ProbeConfig config) {
        return special(ex, Phase.ACCESS).orElseGet(() -> {
            ex.variable("java_access", "1");
            ex.put(COUNT, 7L);
            if (ex.request().headers().contains("X-Content")) {
                ex.variable("graft_content", "probe");
            }
            return Outcome.proceed();
        });
    }

    @Override
    public Outcome content(StageExchange ex, ProbeConfig config) {
        return special(ex, Phase.CONTENT).orElseGet(() -> Outcome.exit(200,
                List.of(Map.entry("Content-Type", "text/plain")), "java content\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Outcome headerFilter(StageExchange ex, ProbeConfig config) {
        return special(ex, Phase.HEADER_FILTER).orElseGet(() -> {
            ex.response().headers().set("X-Java-Header", "1");
            ex.get(COUNT).ifPresent(n -> ex.response().headers().set("X-Ctx-Count", Long.toString(n)));
            return Outcome.proceed();
        });
    }

    @Override
    public Outcome bodyFilter(StageExchange ex, ProbeConfig config, BodyChunk chunk) {
        return special(ex, Phase.BODY_FILTER).orElseGet(() -> {
            byte[] in = chunk.bytes();
            byte[] tail = "+java".getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[in.length + tail.length];
            System.arraycopy(in, 0, out, 0, in.length);
            System.arraycopy(tail, 0, out, in.length, tail.length);
            chunk.replace(out);
            return Outcome.proceed();
        });
    }

    @Override
    public Outcome log(StageExchange ex, ProbeConfig config) {
        return special(ex, Phase.LOG).orElseGet(() -> {
            ex.variable("java_log", "1");
            return Outcome.proceed();
        });
    }
}
