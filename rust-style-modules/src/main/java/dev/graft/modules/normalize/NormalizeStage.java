package dev.graft.modules.normalize;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** normalize in Java: the rewrite phase of {@code legacy-scripts/normalize/handler.lua}. */
public final class NormalizeStage implements StageModule<NormalizeConfig> {

    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public Class<NormalizeConfig> configType() {
        return NormalizeConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.REWRITE);
    }

    @Override
    public Outcome rewrite(StageExchange exchange, NormalizeConfig config) {
        requireNonNull(exchange, "exchange");
        requireNonNull(config, "config");
        String target = exchange.request().requestUri();
        if (!target.isEmpty() && target.charAt(0) == '/') { // origin-form only
            Optional<Outcome> refused = normalizePath(exchange, config, target);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        // a repeated Host is a list in ngx.req.get_headers(): the Lua module leaves it alone
        List<String> hosts = exchange.request().headers().all("Host");
        if (hosts.size() == 1 && !hosts.get(0).isEmpty()) {
            String host = hosts.get(0);
            String newHost = HostHeader.normalize(config, host, exchange.request().scheme());
            if (newHost.isEmpty()) {
                // ":80" loses its port and becomes "": ngx.req.set_header("Host", "") removes it
                exchange.request().headers().remove("Host");
            } else if (!newHost.equals(host)) {
                exchange.request().headers().set("Host", newHost);
            }
        }
        return Outcome.proceed();
    }

    private static Optional<Outcome> normalizePath(StageExchange exchange, NormalizeConfig config, String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);

        if (config.rejects()) {
            Optional<String> reason = TargetPath.checkEscapes(path);
            if (reason.isPresent()) {
                exchange.log(LogLevel.INFO, "normalize: " + reason.get() + " in request target, refused");
                return Optional.of(Outcome.exit(400));
            }
        }

        String changed = path;
        if (config.decodes()) {
            changed = TargetPath.decodeUnreserved(changed);
        }
        if (config.merges()) {
            changed = TargetPath.mergeSlashes(changed);
        }
        if (config.removesDots()) {
            TargetPath.DotsRemoved r = TargetPath.removeDotSegments(changed);
            changed = r.path();
            if (r.above() && config.rejects()) {
                exchange.log(LogLevel.INFO, "normalize: '..' above the root in request target, refused");
                return Optional.of(Outcome.exit(400));
            }
        }

        String decoded = null;
        if (config.rejects() && changed.indexOf('%') >= 0) {
            decoded = TargetPath.unescape(changed);
            if (TargetPath.hasDotSegment(decoded)) {
                exchange.log(LogLevel.INFO, "normalize: dot segment hidden behind an encoded slash, refused");
                return Optional.of(Outcome.exit(400));
            }
        }

        if (!changed.equals(path)) {
            // set_uri takes the decoded form, like $uri; the args are left as they are
            exchange.request().uri(decoded != null ? decoded : TargetPath.unescape(changed));
        }
        return Optional.empty();
    }
}
