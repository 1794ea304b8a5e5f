package dev.graft.host.rollout;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of every mode change: who (the admin token's id and the caller's address, or
 * {@code auto-rollback} / {@code promotion} / {@code reload}), what (module, mode before and
 * after, why) and when. Appended as JSON lines to a file when one is configured (system
 * property {@code graft.rollout.audit}), and the last {@value #KEPT} kept in memory for
 * {@code GET /rollout/audit}.
 */
public final class RolloutAudit {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutAudit.class);
    static final int KEPT = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Optional<Path> file;
    private final Clock clock;
    private final Deque<ObjectNode> recent = new ArrayDeque<>();

    public RolloutAudit(Optional<Path> file, Clock clock) {
        this.file = requireNonNull(file, "file");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Records one change.
     *
     * @param who    who made it
     * @param module the module
     * @param before the module's rollout before, as JSON text ("null" for none)
     * @param after  after, as JSON text
     * @param why    the reason (the admin call, the crossed threshold, the step)
     */
    public synchronized void record(String who, String module, String before, String after, String why) {
        ObjectNode e = JSON.createObjectNode();
        e.put("time", clock.instant().toString());
        e.put("who", requireNonNull(who, "who"));
        e.put("module", requireNonNull(module, "module"));
        e.set("before", parse(before));
        e.set("after", parse(after));
        e.put("why", requireNonNull(why, "why"));
        recent.addLast(e);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
        file.ifPresent(f -> {
            try {
                Files.writeString(f, e.toString() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException x) {
                LOG.error("rollout audit: cannot append to {}: {}", f, x.toString());
            }
        });
    }

    /** The kept entries, oldest first. */
    public synchronized ArrayNode entries() {
        ArrayNode a = JSON.createArrayNode();
        recent.forEach(a::add);
        return a;
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
