package dev.graft.tests;

import dev.graft.tests.harness.GraftLauncher;
import dev.graft.tests.harness.NginxLauncher;
import dev.graft.tests.legacy.CaseSuite;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of every legacy module (legacy-scripts/&lt;module&gt;/cases/*.json), one dynamic
 * test per case, behind the full pipeline with one customer per case.
 *
 * <p>On Graft it is the acceptance suite of the Lua host. On real nginx + lua-nginx-module it
 * checks the cases themselves and this harness (client, origins, checker): a case that fails on
 * nginx is wrong, not Graft. Each side skips with its reason when it cannot run here, and fails
 * instead under CI=true.
 */
class LegacyCasesTest {

    @TestFactory
    Stream<DynamicNode> casesOnGraft(@TempDir Path dir) {
        return CaseSuite.on(new GraftLauncher(), dir);
    }

    @TestFactory
    Stream<DynamicNode> casesOnNginx(@TempDir Path dir) {
        return CaseSuite.on(new NginxLauncher(), dir);
    }
}
