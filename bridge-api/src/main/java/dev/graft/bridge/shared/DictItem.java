package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

/**
 * A value read from a {@link SharedDict} with its user flags, and whether it had already
 * expired (only {@link SharedDict#getStale} returns expired items).
 */
public record DictItem(SharedValue value, int flags, boolean stale) {
    public DictItem {
        requireNonNull(value, "value");
    }
}
