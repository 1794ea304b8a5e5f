package dev.graft.host.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of a Graft process, as one immutable value. Read from one JSON file
 * by {@link ConfigLoader}, which validates every field and names the path of any that is wrong.
 *
 * @param listen       where the proxy accepts clients
 * @param admin        where the admin listener (status, metrics) accepts, loopback by default
 * @param scripts      the legacy-scripts folder: {@code require} resolves Lua modules here
 * @param pipeline     the stages, in the order they run in each phase
 * @param upstreams    origin pools by name
 * @param customers    customers by name: their host names and each module's settings
 * @param sharedDicts  {@code ngx.shared} dictionaries by name, with their capacity in bytes
 * @param limits       request limits of the proxy
 * @param raw          the file as parsed, handed to the Lua driver as a table
 * @param defaultUpstream the upstream a request goes to when no stage chose one
 *                        ({@code $graft_upstream}'s initial value)
 * @param luaInstructionBudget how many Lua VM instructions one stage call may run before the
 *                        host stops it (a runaway loop becomes a contained 500)
 * @param rollout      which side (Lua or Java) serves each module, per customer
 */
public record GraftConfig(
        Listener listen,
        AdminConfig admin,
        Path scripts,
        List<PipelineStage> pipeline,
        Map<String, UpstreamConfig> upstreams,
        Map<String, CustomerConfig> customers,
        Map<String, Long> sharedDicts,
        Limits limits,
        ObjectNode raw,
        String defaultUpstream,
        long luaInstructionBudget,
        Rollout rollout) {

    /** Instructions per stage call when the config does not say: generous for real stages. */
    public static final long DEFAULT_LUA_INSTRUCTION_BUDGET = 1_000_000;

    public GraftConfig {
        pipeline = List.copyOf(pipeline);
        upstreams = Map.copyOf(upstreams);
        customers = Map.copyOf(customers);
        sharedDicts = Map.copyOf(sharedDicts);
        java.util.Objects.requireNonNull(rollout, "rollout");
    }

    /** This config with another rollout (tests, and the admin's rollout changes later). */
    public GraftConfig withRollout(Rollout next) {
        return new GraftConfig(listen, admin, scripts, pipeline, upstreams, customers, sharedDicts, limits, raw,
                defaultUpstream, luaInstructionBudget, next);
    }

    /** A host and port to listen on. */
    public record Listener(String host, int port) {}

    /** The admin listener and the token its mutating calls require. */
    public record AdminConfig(Listener listen, String token) {}

    /**
     * One stage of the pipeline.
     *
     * @param module    the module's name, its folder in legacy-scripts
     * @param readsBody whether the stage reads the whole request body (the proxy then buffers it)
     */
    public record PipelineStage(String module, boolean readsBody) {}

    /**
     * An origin pool.
     *
     * @param servers          its servers, with weights
     * @param connectTimeoutMs how long a connect may take
     * @param readTimeoutMs    how long the upstream may stay silent while a response is due
     * @param idleTimeoutMs    how long an idle pooled connection is kept
     * @param maxIdlePerLoop   how many idle connections are kept per event loop
     */
    public record UpstreamConfig(
            List<Server> servers, long connectTimeoutMs, long readTimeoutMs, long idleTimeoutMs, int maxIdlePerLoop) {
        public UpstreamConfig {
            servers = List.copyOf(servers);
        }
    }

    /** One server of an upstream. */
    public record Server(String host, int port, int weight) {}

    /**
     * A customer.
     *
     * @param hosts   the host names it is served on
     * @param modules each module's settings, as the Lua handler gets them
     */
    public record CustomerConfig(List<String> hosts, Map<String, ObjectNode> modules) {
        public CustomerConfig {
            hosts = List.copyOf(hosts);
            modules = Map.copyOf(modules);
        }
    }

    /**
     * Request limits of the proxy.
     *
     * @param maxInitialLineBytes longest request line (414 past it), and the size of a large header
     *                            buffer as in nginx's {@code large_client_header_buffers 4 8k}
     * @param maxHeaderBytes      all large header buffers together (a head that does not fit is
     *                            nginx's 400 "Request Header Or Cookie Too Large")
     * @param maxHeaderCount      most header fields (400 past it; nginx has no such limit, hence a high default)
     * @param maxBufferedBodyBytes largest body a stage may ask to read whole (413 past it)
     * @param clientIdleTimeoutMs how long an idle client connection is kept
     */
    public record Limits(
            int maxInitialLineBytes,
            int maxHeaderBytes,
            int maxHeaderCount,
            long maxBufferedBodyBytes,
            long clientIdleTimeoutMs) {

        /** The limits when the config names none. */
        public static final Limits DEFAULTS = new Limits(8192, 32768, 10_000, 1L << 20, 60_000);
    }
}
