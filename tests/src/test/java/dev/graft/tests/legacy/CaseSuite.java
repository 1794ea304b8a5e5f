package dev.graft.tests.legacy;

import dev.graft.tests.harness.DemoOrigins;
import dev.graft.tests.harness.FreePort;
import dev.graft.tests.harness.LaunchPolicy;
import dev.graft.tests.harness.ProxyLauncher;
import dev.graft.tests.harness.ProxyUnderTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * Every legacy case as one dynamic test on one proxy, grouped by module: origins and the proxy
 * start once for the whole set (one customer per case), and stop when the stream is closed.
 */
public final class CaseSuite {

    private CaseSuite() {}

    public static Stream<DynamicNode> on(ProxyLauncher launcher, Path workDir) {
        Path scripts = CaseLoader.scriptsFolder();
        List<CaseFile> files = CaseLoader.loadAll(scripts);
        Assertions.assertFalse(files.isEmpty(), "no case files under " + scripts + "/*/cases/: nothing to check");
        List<LegacyCase> cases = new ArrayList<>();
        for (CaseFile f : files) {
            if (f instanceof CaseFile.Loaded loaded) {
                cases.add(loaded.legacyCase());
            }
        }
        DemoOrigins origins = DemoOrigins.start();
        ProxyUnderTest proxy;
        try {
            proxy = LaunchPolicy.require(launcher.name(), launcher.launch(
                    CaseConfigBuilder.build(scripts, cases, origins.addresses(), FreePort.pick(), FreePort.pick()),
                    workDir));
        } catch (TestAbortedException | AssertionError e) {
            origins.close();
            // a skipped or failed factory leaves no trace in the surefire counts: one test says why
            return Stream.<DynamicNode>of(DynamicTest.dynamicTest(launcher.name() + ": the proxy did not start", () -> {
                throw e;
            }));
        } catch (RuntimeException e) {
            origins.close();
            throw e;
        }
        CaseRunner runner = new CaseRunner(proxy);
        Map<String, List<DynamicNode>> byModule = new LinkedHashMap<>();
        for (CaseFile f : files) {
            String module = f.id().substring(0, f.id().indexOf('-'));
            byModule.computeIfAbsent(module, m -> new ArrayList<>()).add(test(runner, proxy, f));
        }
        return byModule.entrySet().stream()
                .<DynamicNode>map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()))
                .onClose(() -> {
                    proxy.close();
                    origins.close();
                });
    }

    private static DynamicTest test(CaseRunner runner, ProxyUnderTest proxy, CaseFile file) {
        return switch (file) {
            case CaseFile.Broken broken -> DynamicTest.dynamicTest(broken.id() + " on " + proxy.name(), broken.file().toUri(),
                    () -> Assertions.fail(broken.id() + ": not a valid case file " + broken.file() + ": " + broken.error()));
            case CaseFile.Loaded loaded -> DynamicTest.dynamicTest(loaded.id() + " on " + proxy.name(), loaded.file().toUri(), () -> {
                LegacyCase c = loaded.legacyCase();
                long mark = proxy.logMark();
                List<String> diffs = runner.run(c);
                if (!diffs.isEmpty()) {
                    Thread.sleep(50); // the log phase runs after the response is sent
                    Assertions.fail(runner.report(c, diffs, mark));
                }
            });
        };
    }
}
