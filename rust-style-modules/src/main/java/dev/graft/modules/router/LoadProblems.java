package dev.graft.modules.router;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lines the Lua module logs at {@code error} when it compiles a settings table, which it
 * does on the first request that uses the table. Found when the settings are bound; written by
 * the first request, once, as in Lua. Equal by its lines: the once-flag is not part of the
 * settings' value.
 */
public final class LoadProblems {

    private final List<String> lines;
    private final AtomicBoolean written = new AtomicBoolean();

    LoadProblems(List<String> lines) {
        this.lines = List.copyOf(requireNonNull(lines, "lines"));
    }

    List<String> lines() {
        return lines;
    }

    /** Logs every line at ERR the first time it is called; later calls do nothing. */
    void writeOnce(StageExchange exchange) {
        if (!lines.isEmpty() && written.compareAndSet(false, true)) {
            for (String line : lines) {
                exchange.log(LogLevel.ERR, line);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadProblems p && p.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
