package dev.graft.tests.harness;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a suite does when a proxy does not start. Unavailable (not installed here, not built
 * yet) skips with the reason on a developer machine, and fails under CI (env CI=true), where a
 * skipped cross-check would be a silent pass. A failed launch always fails.
 */
public final class LaunchPolicy {

    private LaunchPolicy() {}

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The started proxy; otherwise the test aborts or fails here, naming why. */
    public static ProxyUnderTest require(String proxy, ProxyLauncher.Launch launch) {
        return require(proxy, launch, underCi());
    }

    static ProxyUnderTest require(String proxy, ProxyLauncher.Launch launch, boolean ci) {
        return switch (launch) {
            case ProxyLauncher.Launch.Started started -> started.proxy();
            case ProxyLauncher.Launch.Unavailable unavailable -> {
                if (ci) {
                    yield Assertions.fail(proxy + " is required under CI=true and cannot run: " + unavailable.reason());
                }
                Assumptions.abort(proxy + " cannot run here, skipped: " + unavailable.reason());
                throw new AssertionError("unreachable: abort throws");
            }
            case ProxyLauncher.Launch.Failed failed -> Assertions.fail(proxy + " did not start: " + failed.reason());
        };
    }
}
