package dev.graft.modules.lua;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The settings errors a Lua module logs at ERR when it compiles a settings table (on the first
 * request that uses it) before skipping what is broken. Found when the config is bound; written
 * once, by the first request, as in Lua. Equal by messages: the once-flag is not part of the
 * settings' value.
 */
public final class ConfigProblems {

    private final List<String> messages;
    private final AtomicBoolean reported = new AtomicBoolean();

    public ConfigProblems(List<String> messages) {
        this.messages = List.copyOf(requireNonNull(messages, "messages"));
    }

    public List<String> messages() {
        return messages;
    }

    /** Logs every message at ERR the first time it is called; later calls do nothing. */
    public void reportOnce(StageExchange exchange) {
        if (!messages.isEmpty() && reported.compareAndSet(false, true)) {
            for (String m : messages) {
                exchange.log(LogLevel.ERR, m);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigProblems p && p.messages.equals(messages);
    }

    @Override
    public int hashCode() {
        return messages.hashCode();
    }

    @Override
    public String toString() {
        return messages.toString();
    }
}
