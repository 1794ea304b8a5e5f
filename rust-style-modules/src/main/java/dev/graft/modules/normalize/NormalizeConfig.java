package dev.graft.modules.normalize;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * normalize's settings, bound from the same JSON object the Lua handler gets. Every field is a
 * switch that is on unless set to {@code false} (the Lua module's {@code enabled}: absent means
 * on, anything but {@code true} means off).
 *
 * @param decodeUnreserved  decode {@code %XX} of unreserved characters; upper-case the hex of the rest
 * @param mergeSlashes      fold runs of '/' into one
 * @param removeDotSegments RFC 3986 5.2.4 dot-segment removal
 * @param lowercaseHost     lower-case the Host header (ASCII only)
 * @param stripDefaultPort  drop ":80"/":443" (per scheme) and an empty port from Host
 * @param rejectInvalid     400 for malformed escapes, NUL, '..' above the root and hidden dot segments
 */
public record NormalizeConfig(Optional<Boolean> decodeUnreserved, Optional<Boolean> mergeSlashes,
        Optional<Boolean> removeDotSegments, Optional<Boolean> lowercaseHost, Optional<Boolean> stripDefaultPort,
        Optional<Boolean> rejectInvalid) {

    public NormalizeConfig {
        requireNonNull(decodeUnreserved, "decodeUnreserved");
        requireNonNull(mergeSlashes, "mergeSlashes");
        requireNonNull(removeDotSegments, "removeDotSegments");
        requireNonNull(lowercaseHost, "lowercaseHost");
        requireNonNull(stripDefaultPort, "stripDefaultPort");
        requireNonNull(rejectInvalid, "rejectInvalid");
    }

    /** Everything on: the settings of {@code "normalize": {}}. */
    public static NormalizeConfig defaults() {
        Optional<Boolean> on = Optional.empty();
        return new NormalizeConfig(on, on, on, on, on, on);
    }

    boolean decodes() {
        return decodeUnreserved.orElse(true);
    }

    boolean merges() {
        return mergeSlashes.orElse(true);
    }

    boolean removesDots() {
        return removeDotSegments.orElse(true);
    }

    boolean lowercases() {
        return lowercaseHost.orElse(true);
    }

    boolean stripsPort() {
        return stripDefaultPort.orElse(true);
    }

    boolean rejects() {
        return rejectInvalid.orElse(true);
    }
}
