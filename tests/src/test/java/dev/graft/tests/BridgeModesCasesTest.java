package dev.graft.tests;

import dev.graft.host.bridge.StageModules;
import dev.graft.tests.bridge.RolloutLauncher;
import dev.graft.tests.legacy.CaseSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every legacy case on Graft with Java modules switched on through the rollout: (a) every
 * module that has a Java implementation in Java mode at once, (b) each such module alone in
 * Java mode, (c) a per-customer mix (customers take turns: all Java, Java and Lua alternating
 * module by module, all Lua). A case must behave exactly as with all-Lua (LegacyCasesTest).
 * One proxy per mode, started when its container runs and stopped after it.
 *
 * <p>{@code -Dgraft.bridge.modes=all-java,waf,router} runs only those modes (a porter checking
 * one module: {@code -Dgraft.bridge.modes=waf}; the mix is {@code per-customer-mix});
 * {@code none} runs none.
 */
class BridgeModesCasesTest {

    static final String ALL = "all-java";
    static final String MIX = "per-customer-mix";

    private static Set<String> javaModules() {
        return new TreeSet<>(StageModules.discover().modules().keySet());
    }

    private static boolean selected(String mode) {
        String p = System.getProperty("graft.bridge.modes", "").trim();
        return p.isEmpty() || Arrays.asList(p.split(",")).contains(mode);
    }

    @TestFactory
    Stream<DynamicNode> casesWithEveryJavaModule(@TempDir Path dir) {
        if (!selected(ALL)) {
            return Stream.empty();
        }
        return Stream.of(mode(ALL, javaModules(), dir.resolve(ALL), false));
    }

    /** Customers take turns: all Java (native), Java and Lua alternating by module, all Lua. */
    @TestFactory
    Stream<DynamicNode> casesWithAPerCustomerMix(@TempDir Path dir) {
        if (!selected(MIX)) {
            return Stream.empty();
        }
        return Stream.of(mode(MIX, javaModules(), dir.resolve(MIX), true));
    }

    @TestFactory
    Stream<DynamicNode> casesWithEachModuleAloneInJava(@TempDir Path dir) {
        List<DynamicNode> modes = new ArrayList<>();
        for (String m : javaModules()) {
            if (selected(m)) {
                modes.add(mode(m, Set.of(m), dir.resolve(m), false));
            }
        }
        return modes.stream();
    }

    /** A container whose proxy starts only when JUnit runs it, and stops when it is done. */
    private static DynamicNode mode(String label, Set<String> modules, Path dir, boolean perCustomerMix) {
        Stream<DynamicNode> lazy = Stream.of(label).flatMap(l -> {
            RolloutLauncher launcher = new RolloutLauncher(l, modules, perCustomerMix);
            Stream<DynamicNode> cases = CaseSuite.on(launcher, dir);
            List<DynamicNode> refused = new ArrayList<>();
            launcher.refused().forEach((customer, errors) -> refused.add(DynamicTest.dynamicTest(
                    customer + ": settings refused by Java", () -> Assertions.fail(customer
                            + ": the Java module refuses settings the Lua module accepts, so this config is refused "
                            + "at load in java mode: " + errors))));
            // a case that passes because its Java stage fell back to Lua is not a Java pass
            refused.add(DynamicTest.dynamicTest(l + ": no stage fell back to Lua or threw", () -> {
                List<String> counters = launcher.bridgeCounters().orElse(List.of());
                Assertions.assertTrue(counters.isEmpty(), l + " in java: " + String.join("\n", counters));
                if (l.equals(ALL) || l.equals(MIX)) {
                    // the rollout was in effect: customers whose every stage is Java ran natively
                    Assertions.assertTrue(launcher.nativeRequests() > 0, l + ": no request ran on the native path");
                }
            }));
            return Stream.concat(cases, refused.stream());
        });
        return DynamicContainer.dynamicContainer(label + " in java", lazy);
    }
}
