package dev.graft.modules.headers;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code request} or {@code response} in the settings. The fields are JSON values read as the
 * Lua module reads them: it logs a value of the wrong shape and ignores it, never refusing the
 * settings, so they are bound loosely.
 *
 * @param remove a list of header names
 * @param set    an object: name to a string, number, boolean or list of them
 * @param add    an object: name to a string, number, boolean or list of them
 */
public record HeaderEdits(Optional<Object> remove, Optional<Object> set, Optional<Object> add) {

    public HeaderEdits {
        requireNonNull(remove, "remove");
        requireNonNull(set, "set");
        requireNonNull(add, "add");
    }

    /**
     * A string where the object belongs: the Lua module indexes it and finds nothing (a string's
     * fields are the string library's functions, and it has no remove/set/add), so no edits.
     */
    public static HeaderEdits valueOf(String ignored) {
        return none();
    }

    public static HeaderEdits none() {
        return new HeaderEdits(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
