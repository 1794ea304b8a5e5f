package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import dev.graft.tests.harness.ClientResult;
import dev.graft.tests.harness.ProxyUnderTest;
import dev.graft.tests.harness.RawHttpClient;
import dev.graft.tests.harness.RawRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sends a case's steps, in order, to a proxy and checks each response against its step. */
public final class CaseRunner {

    private final RawHttpClient client = RawHttpClient.withTimeout(Duration.ofSeconds(10));
    private final ProxyUnderTest proxy;

    public CaseRunner(ProxyUnderTest proxy) {
        this.proxy = requireNonNull(proxy, "proxy");
    }

    /** Every difference of the case, each prefixed with its step; empty when the case passes. */
    public List<String> run(LegacyCase legacyCase) {
        List<String> diffs = new ArrayList<>();
        List<CaseStep> steps = legacyCase.steps();
        for (int i = 0; i < steps.size(); i++) {
            CaseStep step = steps.get(i);
            RawRequest request = step.request().toRaw(legacyCase.host());
            String at = "step " + (i + 1) + " " + request.method() + " " + request.target() + ": ";
            switch (client.send(proxy.address(), request)) {
                case ClientResult.NoAnswer none -> diffs.add(at + "no response: " + none.reason());
                case ClientResult.Answered answered -> {
                    for (String d : ExpectationChecker.check(step.expect(), answered.response())) {
                        diffs.add(at + d);
                    }
                }
            }
        }
        return diffs;
    }

    /** The failure message: the case, its differences, and what the proxy logged meanwhile. */
    public String report(LegacyCase legacyCase, List<String> diffs, long logMark) {
        StringBuilder out = new StringBuilder();
        out.append(legacyCase.id()).append(" failed on ").append(proxy.name())
                .append(" (").append(legacyCase.name()).append(")\n  file: ").append(legacyCase.file()).append('\n');
        diffs.forEach(d -> out.append("  ").append(d).append('\n'));
        String log = proxy.logSince(logMark);
        if (!log.isEmpty()) {
            out.append("  --- ").append(proxy.name()).append(" log during the case ---\n");
            log.lines().forEach(l -> out.append("  | ").append(l).append('\n'));
        }
        return out.toString();
    }
}
