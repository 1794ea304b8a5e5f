package dev.graft.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Prints the elements of a top-level array field of a JSON file, one a line. Usage: {@code JsonLines FILE FIELD}. */
public final class JsonLines {

    private JsonLines() {}

    public static void main(String[] args) throws IOException {
        JsonNode root = new JsonMapper().readTree(Path.of(args[0]).toFile());
        for (JsonNode n : root.path(args[1])) {
            System.out.println(n.asText());
        }
    }
}
