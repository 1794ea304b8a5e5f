package dev.graft.host.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A module's hand-written cases ({@code <module>/cases/NNN-name.json}, the format of
 * legacy-scripts/README.md) as parity customers and request sequences: each case is a
 * customer named by its case id with host {@code <case id>.test} and the case's settings, and
 * its steps are one sequence from 127.0.0.1.
 *
 * @param customers the cases' customers
 * @param sequences one per case
 * @param problems  case files that could not be read
 */
record CaseCorpus(List<ParityCustomer> customers, List<Sequence> sequences, List<String> problems) {

    static CaseCorpus load(Path casesDir, String module) {
        List<ParityCustomer> customers = new ArrayList<>();
        List<Sequence> sequences = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(casesDir)) {
            return new CaseCorpus(customers, sequences, problems);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(casesDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals(AllowList.FILE)).sorted().toList();
        } catch (IOException e) {
            problems.add(casesDir + ": " + e.getMessage());
            return new CaseCorpus(customers, sequences, problems);
        }
        JsonMapper json = new JsonMapper();
        for (Path f : files) {
            String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
            String id = module + "-" + stem;
            JsonNode root;
            try {
                root = json.readTree(f.toFile());
            } catch (IOException e) {
                problems.add(f + ": " + e.getMessage());
                continue;
            }
            if (!root.path("modules").isObject() || !root.path("steps").isArray()) {
                problems.add(f + ": no modules object or steps list (expected: the case format)");
                continue;
            }
            String host = id + ".test";
            customers.add(new ParityCustomer(id, host, (ObjectNode) root.get("modules")));
            List<ParityRequest> steps = new ArrayList<>();
            for (JsonNode step : root.get("steps")) {
                JsonNode req = step.path("request");
                List<ParityRequest.Header> headers = new ArrayList<>();
                boolean hasHost = false;
                for (JsonNode pair : req.path("headers")) {
                    String name = pair.path(0).asText();
                    hasHost |= name.equalsIgnoreCase("Host");
                    headers.add(new ParityRequest.Header(name, pair.path(1).asText()));
                }
                if (!hasHost) {
                    headers.add(0, new ParityRequest.Header("Host", host));
                }
                Optional<String> body = req.path("body").isTextual()
                        ? Optional.of(new String(req.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                java.nio.charset.StandardCharsets.ISO_8859_1))
                        : Optional.empty();
                steps.add(new ParityRequest(id, req.path("method").asText("GET"), req.path("path").asText("/"), headers,
                        body, "127.0.0.1"));
            }
            sequences.add(new Sequence(id, Sequence.Kind.CASE, steps));
        }
        return new CaseCorpus(customers, sequences, problems);
    }
}
