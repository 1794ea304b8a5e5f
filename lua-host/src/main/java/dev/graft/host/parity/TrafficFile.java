package dev.graft.host.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a traffic file that the proxy recorded ({@code dev.graft.host.record.RequestRecorder}:
 * JSON lines with client, method, target, headers as pairs, optional body) into requests.
 * Redacted header values stay redacted; lines that do not parse are reported, not replayed.
 *
 * @param requests the requests in file order, each with its line number as source
 * @param problems lines that could not be read
 */
record TrafficFile(List<Sequence> requests, List<String> problems) {

    static TrafficFile read(Path file) throws IOException {
        JsonMapper json = new JsonMapper();
        List<Sequence> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode r = json.readTree(line);
                    List<ParityRequest.Header> headers = new ArrayList<>();
                    for (JsonNode pair : r.path("headers")) {
                        headers.add(new ParityRequest.Header(pair.path(0).asText(), pair.path(1).asText()));
                    }
                    Optional<String> body = r.path("body").isTextual() ? Optional.of(r.get("body").asText())
                            : Optional.empty();
                    String customer = r.path("customer").asText("");
                    out.add(new Sequence(file.getFileName() + ":" + n, Sequence.Kind.RECORDED, List.of(
                            new ParityRequest(customer, r.path("method").asText("GET"), r.path("target").asText("/"),
                                    headers, body, r.path("client").asText("127.0.0.1")))));
                } catch (IOException | RuntimeException e) {
                    problems.add(file.getFileName() + ":" + n + ": " + e.getMessage());
                }
            }
        }
        return new TrafficFile(out, problems);
    }
}
