package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.tests.harness.Header;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Reads every case of legacy-scripts: {@code <module>/cases/*.json}, modules and files in name
 * order. A file that is not a valid case is returned as {@link CaseFile.Broken}, so that it
 * shows up as a failing test rather than disappearing.
 */
public final class CaseLoader {

    private static final JsonMapper JSON = new JsonMapper();

    private CaseLoader() {}

    /** The legacy-scripts folder: -Dgraft.legacyScripts, else the nearest one above the working folder. */
    public static Path scriptsFolder() {
        String given = System.getProperty("graft.legacyScripts");
        if (given != null) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("legacy-scripts");
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("legacy-scripts: not found above " + Path.of("").toAbsolutePath()
                + " (expected: run from the repo, or -Dgraft.legacyScripts=<folder>)");
    }

    public static List<CaseFile> loadAll(Path scripts) {
        requireNonNull(scripts, "scripts");
        List<CaseFile> out = new ArrayList<>();
        for (Path moduleDir : sorted(scripts)) {
            Path cases = moduleDir.resolve("cases");
            if (!Files.isDirectory(cases)) {
                continue;
            }
            String module = moduleDir.getFileName().toString();
            for (Path file : sorted(cases)) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json")) {
                    out.add(load(module, file));
                }
            }
        }
        return out;
    }

    private static List<Path> sorted(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public static CaseFile load(String module, Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        String id = module + "-" + stem;
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return new CaseFile.Broken(id, file, "not JSON: " + e.getMessage());
        }
        List<String> errors = new ArrayList<>();
        if (!doc.isObject()) {
            return new CaseFile.Broken(id, file, "case: " + doc.getNodeType() + " (expected: an object)");
        }
        JsonNode modules = doc.path("modules");
        if (!modules.isObject()) {
            errors.add("modules: " + shown(modules) + " (expected: an object of module settings)");
        }
        JsonNode steps = doc.path("steps");
        if (!steps.isArray() || steps.isEmpty()) {
            errors.add("steps: " + shown(steps) + " (expected: a non-empty list)");
        }
        List<CaseStep> parsed = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            parsed.add(step(steps.get(i), "steps[" + i + "]", errors));
        }
        if (!errors.isEmpty()) {
            return new CaseFile.Broken(id, file, String.join("; ", errors));
        }
        return new CaseFile.Loaded(new LegacyCase(id, module, file, doc.path("name").asText(""),
                (ObjectNode) modules, parsed));
    }

    private static CaseStep step(JsonNode step, String at, List<String> errors) {
        JsonNode req = step.path("request");
        List<Header> headers = new ArrayList<>();
        JsonNode hs = req.path("headers");
        if (!hs.isMissingNode() && !hs.isArray()) {
            errors.add(at + ".request.headers: " + shown(hs) + " (expected: a list of [name, value] pairs)");
        }
        for (int i = 0; i < hs.size(); i++) {
            JsonNode pair = hs.get(i);
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                errors.add(at + ".request.headers[" + i + "]: " + pair + " (expected: [name, value])");
                continue;
            }
            headers.add(new Header(pair.get(0).asText(), pair.get(1).asText()));
        }
        JsonNode body = req.path("body");
        CaseRequest request = new CaseRequest(
                req.path("method").asText("GET"),
                req.path("path").asText("/"),
                headers,
                body.isTextual() ? Optional.of(body.asText()) : Optional.empty());

        JsonNode exp = step.path("expect");
        JsonNode status = exp.path("status");
        if (!status.isMissingNode() && !status.canConvertToInt()) {
            errors.add(at + ".expect.status: " + status + " (expected: a number)");
        }
        Map<String, HeaderExpectation> expectedHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> h : exp.path("headers").properties()) {
            JsonNode v = h.getValue();
            if (v.isNull()) {
                expectedHeaders.put(h.getKey(), new HeaderExpectation.Absent());
            } else if (v.isArray()) {
                List<String> values = new ArrayList<>();
                v.forEach(x -> values.add(x.asText()));
                expectedHeaders.put(h.getKey(), new HeaderExpectation.Values(values));
            } else if (v.isValueNode()) {
                expectedHeaders.put(h.getKey(), new HeaderExpectation.Value(v.asText()));
            } else {
                errors.add(at + ".expect.headers." + h.getKey() + ": " + v + " (expected: a string, a list or null)");
            }
        }
        List<String> contains = new ArrayList<>();
        exp.path("body_contains").forEach(x -> contains.add(x.asText()));
        JsonNode origin = exp.path("origin");
        if (!origin.isMissingNode() && !origin.isObject()) {
            errors.add(at + ".expect.origin: " + origin + " (expected: an object)");
        }
        return new CaseStep(request, new CaseExpectation(
                status.canConvertToInt() ? OptionalInt.of(status.asInt()) : OptionalInt.empty(),
                expectedHeaders,
                exp.path("body").isTextual() ? Optional.of(exp.path("body").asText()) : Optional.empty(),
                contains,
                origin.isObject() ? Optional.of((ObjectNode) origin) : Optional.empty()));
    }

    private static String shown(JsonNode node) {
        return node.isMissingNode() ? "missing" : node.toString();
    }

    /** An empty settings object, for tests that build cases by hand. */
    static ObjectNode noModules() {
        return JsonNodeFactory.instance.objectNode();
    }
}
