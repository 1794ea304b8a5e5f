package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A parity run over modules: for each, its corpus (cases, generated requests, recorded
 * traffic), the comparison, and its row of the report. The gate's verdict is
 * {@link Outcome#passed()}: no mismatch in a module the shipped config serves from Java (or in
 * any module, when strict).
 */
public final class ParityRun {

    private ParityRun() {}

    /** A finished run, or why it could not start. */
    public sealed interface Outcome {
        record Done(List<ModuleResult> modules, boolean strict, long millis) implements Outcome {
            public boolean passed() {
                return modules.stream().noneMatch(m -> strict ? m.mismatches() > 0 || m.setupError().isPresent()
                        : m.fails());
            }
        }

        record Refused(String message) implements Outcome {}

        default boolean passed() {
            return this instanceof Done d && d.passed();
        }
    }

    public static Outcome run(ParityOptions o, Consumer<String> progress0) {
        requireNonNull(o, "o");
        requireNonNull(progress0, "progress");
        Consumer<String> progress = line -> {
            synchronized (progress0) {
                progress0.accept(line);
            }
        };
        long t0 = System.currentTimeMillis();
        GraftConfig shippedConfig;
        JsonNode shipped;
        try {
            shipped = new JsonMapper().readTree(o.shipped().toFile());
        } catch (IOException e) {
            return new Outcome.Refused(o.shipped() + ": " + e.getMessage());
        }
        switch (ConfigLoader.load(o.shipped())) {
            case ConfigResult.Valid v -> shippedConfig = v.config();
            case ConfigResult.Invalid i -> {
                return new Outcome.Refused(o.shipped() + ": " + i.errors());
            }
        }
        Path scripts = shippedConfig.scripts();
        List<String> modules = new ArrayList<>();
        if (o.modules().isEmpty()) {
            shippedConfig.pipeline().forEach(s -> modules.add(s.module()));
        } else {
            modules.addAll(o.modules());
        }
        List<Sequence> traffic = new ArrayList<>();
        if (o.traffic().isPresent()) {
            try {
                TrafficFile f = TrafficFile.read(o.traffic().get());
                traffic.addAll(f.requests());
                f.problems().forEach(p -> progress.accept("traffic: " + p));
            } catch (IOException e) {
                return new Outcome.Refused("--traffic: " + o.traffic().get() + ": " + e.getMessage());
            }
        }
        List<ModuleResult> results = new ArrayList<>();
        LogCapture logs = LogCapture.install();
        // modules are independent (each has its own two pipelines, dicts and clock): one thread each
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(o.jobs(), modules.size())), r -> {
                    Thread t = new Thread(r, "graft-parity");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<ModuleResult>> futures = new ArrayList<>();
            for (String module : modules) {
                futures.add(pool.submit(() -> {
                    try {
                        return module(o, module, shipped, shippedConfig, scripts, traffic, logs, progress);
                    } finally {
                        logs.release();
                    }
                }));
            }
            for (java.util.concurrent.Future<ModuleResult> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Refused("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("parity: a module's comparison failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            logs.uninstall();
        }
        return new Outcome.Done(results, o.strict(), System.currentTimeMillis() - t0);
    }

    private static ModuleResult module(ParityOptions o, String module, JsonNode shipped, GraftConfig shippedConfig,
            Path scripts, List<Sequence> traffic, LogCapture logs, Consumer<String> progress) {
        boolean java = shippedConfig.rollout().javaAnywhere(module);
        Path casesDir = o.cases().map(d -> Files.isDirectory(d.resolve(module).resolve("cases"))
                ? d.resolve(module).resolve("cases") : d).orElse(scripts.resolve(module).resolve("cases"));
        AllowList allow;
        switch (AllowList.load(casesDir)) {
            case AllowList.Loaded.Ok ok -> allow = ok.list();
            case AllowList.Loaded.Invalid inv -> {
                return ModuleResult.failedSetup(module, java, inv.message());
            }
        }
        CaseCorpus cases = CaseCorpus.load(casesDir, module);
        cases.problems().forEach(p -> progress.accept(module + ": " + p));
        List<ParityCustomer> customers = new ArrayList<>(cases.customers());
        List<ParityCustomer> configuring = new ArrayList<>();
        shippedConfig.customers().forEach((name, c) -> {
            if (!c.hosts().isEmpty()) {
                ParityCustomer pc = new ParityCustomer(name, c.hosts().get(0), (com.fasterxml.jackson.databind.node.ObjectNode)
                        shipped.path("customers").path(name).path("modules"));
                customers.add(pc);
                if (c.modules().containsKey(module)) {
                    configuring.add(pc);
                }
            }
        });
        for (ParityCustomer pc : cases.customers()) {
            if (pc.modules().has(module)) {
                configuring.add(pc);
            }
        }
        ModuleResult.Builder result = new ModuleResult.Builder(module, java);
        ModuleParity parity;
        switch (ModuleParity.setup(module, shipped, scripts, customers, o.catalog(), allow, o.today(), logs, result)) {
            case ModuleParity.Setup.Ready r -> parity = r.parity();
            case ModuleParity.Setup.Failed f -> {
                progress.accept(f.message());
                return ModuleResult.failedSetup(module, java, f.message());
            }
        }
        progress.accept(module + ": " + cases.sequences().size() + " cases, " + o.generated() + " generated, "
                + traffic.size() + " recorded" + (java ? " (served from Java in the shipped config)" : ""));
        parity.run(cases.sequences(), progress, 0, Optional.empty());
        if (o.generated() > 0 && !configuring.isEmpty()) {
            List<ParityRequest> caseRequests = cases.sequences().stream().flatMap(s -> s.requests().stream()).toList();
            RequestGenerator gen = new RequestGenerator(o.seed(), configuring, caseRequests);
            List<Sequence> generated = new ArrayList<>();
            int requests = 0;
            for (int n = 0; requests < o.generated(); n++) {
                Sequence s = gen.sequence(n);
                generated.add(s);
                requests += s.requests().size();
            }
            parity.run(generated, progress, Math.max(1000, generated.size() / 5), Optional.of(gen));
        }
        parity.run(traffic, progress, 1000, Optional.empty());
        return result.build(parity.coverage(), parity.javaFallbacks());
    }
}
