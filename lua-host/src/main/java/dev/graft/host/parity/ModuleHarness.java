package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One module's comparison for a test driving it request by request (property-based tests):
 * the same two pipelines as {@code graft parity} (shipped pipeline, the module's case customers
 * and the shipped customers), and {@link #compare} for one request on fresh shared state.
 * Not thread-safe.
 */
public final class ModuleHarness implements AutoCloseable {

    private final ModuleParity parity;
    private final List<Customer> customers;
    private final LogCapture logs;

    private ModuleHarness(ModuleParity parity, List<Customer> customers, LogCapture logs) {
        this.parity = parity;
        this.customers = customers;
        this.logs = logs;
    }

    /** A customer whose settings configure the module: requests go to its host. */
    public record Customer(String name, String host) {}

    /**
     * @param shipped the shipped config file (legacy-scripts/graft.json)
     * @param catalog the Java modules
     * @throws IllegalStateException when the module's parity config does not build
     */
    public static ModuleHarness open(Path shipped, String module, StageModules catalog) {
        requireNonNull(shipped, "shipped");
        requireNonNull(module, "module");
        JsonNode tree;
        try {
            tree = new JsonMapper().readTree(shipped.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GraftConfig config = switch (ConfigLoader.load(shipped)) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalStateException(shipped + ": " + i.errors());
        };
        Path scripts = config.scripts();
        CaseCorpus cases = CaseCorpus.load(scripts.resolve(module).resolve("cases"), module);
        List<ParityCustomer> all = new ArrayList<>(cases.customers());
        List<Customer> configuring = new ArrayList<>();
        cases.customers().stream().filter(c -> c.modules().has(module))
                .forEach(c -> configuring.add(new Customer(c.name(), c.host())));
        config.customers().forEach((name, c) -> {
            if (!c.hosts().isEmpty()) {
                all.add(new ParityCustomer(name, c.hosts().get(0), (ObjectNode) tree.path("customers").path(name)
                        .path("modules")));
                if (c.modules().containsKey(module)) {
                    configuring.add(new Customer(name, c.hosts().get(0)));
                }
            }
        });
        AllowList allow = switch (AllowList.load(scripts.resolve(module).resolve("cases"))) {
            case AllowList.Loaded.Ok ok -> ok.list();
            case AllowList.Loaded.Invalid inv -> throw new IllegalStateException(inv.message());
        };
        LogCapture logs = LogCapture.install();
        return switch (ModuleParity.setup(module, tree, scripts, all, catalog, allow, LocalDate.now(),
                logs, new ModuleResult.Builder(module, true))) {
            case ModuleParity.Setup.Ready r -> new ModuleHarness(r.parity(), List.copyOf(configuring), logs);
            case ModuleParity.Setup.Failed f -> {
                logs.uninstall();
                throw new IllegalStateException(f.message());
            }
        };
    }

    public List<Customer> customers() {
        return customers;
    }

    /** The effects that differ (and no allow-list entry accepts) for {@code request} on fresh state. */
    public List<Mismatch> compare(ParityRequest request) {
        return parity.differences(new Sequence("property", Sequence.Kind.GENERATED, List.of(request))).stream()
                .filter(m -> m.allowed().isEmpty()).toList();
    }

    @Override
    public void close() {
        logs.release();
        logs.uninstall();
    }
}
