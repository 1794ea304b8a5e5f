package dev.graft.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Joins JMH JSON result files (arrays) into one; missing inputs are skipped. Usage: {@code JmhMerge OUT IN...}. */
public final class JmhMerge {

    private JmhMerge() {}

    public static void main(String[] args) throws IOException {
        JsonMapper json = new JsonMapper();
        ArrayNode all = json.createArrayNode();
        for (int i = 1; i < args.length; i++) {
            Path in = Path.of(args[i]);
            if (Files.isRegularFile(in) && Files.size(in) > 0) {
                JsonNode n = json.readTree(in.toFile());
                n.forEach(all::add);
            }
        }
        Files.writeString(Path.of(args[0]), json.writerWithDefaultPrettyPrinter().writeValueAsString(all));
    }
}
