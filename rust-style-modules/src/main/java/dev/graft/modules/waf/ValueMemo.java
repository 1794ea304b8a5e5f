package dev.graft.modules.waf;

import dev.graft.bridge.regex.TextSketch;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one request's rules derive from its values, each computed once: a value through a
 * transform chain (many rules share a chain and a target), a value's UTF-8 decoding for the
 * rules with the {@code u} option, and the sketch that lets every rule's literal prefilter
 * reject a value in a few bit tests. Both are pure functions of the value, so sharing them
 * across rules changes no result. Confined to the request's thread; the maps are made on first
 * use, so requests whose rules need neither (the built-in set) pay nothing.
 */
final class ValueMemo {

    private record Chain(String value, List<WafRule.Transform> transforms) {}

    private final RequestParts request;
    private final List<Target> targets;
    private final String[][] values;
    private final TextSketch[][] sketches;
    private Map<Chain, String> transformed;
    private Map<String, Optional<String>> decoded;
    private Map<String, TextSketch> sketchesByText;

    /** For one request, whose rules look at {@code targets} (by slot). */
    ValueMemo(RequestParts request, List<Target> targets) {
        this.request = request;
        this.targets = targets;
        this.values = new String[targets.size()][];
        this.sketches = new TextSketch[targets.size()][];
    }

    /** A memo with no slots, for one-off matching. */
    ValueMemo() {
        this(null, List.of());
    }

    /**
     * The values of the target in {@code slot}, fetched once, as an array: the rules' inner
     * loop then reads them without the interface calls of the several List classes parts use.
     */
    String[] values(int slot) {
        String[] v = values[slot];
        if (v == null) {
            v = request.values(targets.get(slot)).toArray(String[]::new);
            values[slot] = v;
        }
        return v;
    }

    /** The sketch of value {@code i} of the target in {@code slot}. */
    TextSketch sketch(int slot, int i) {
        TextSketch[] s = sketches[slot];
        if (s == null) {
            s = new TextSketch[values(slot).length];
            sketches[slot] = s;
        }
        TextSketch t = s[i];
        if (t == null) {
            t = TextSketch.of(values(slot)[i]);
            s[i] = t;
        }
        return t;
    }

    /** {@link Rules#transform} of {@code value}, computed once per request. */
    String transformed(String value, List<WafRule.Transform> transforms) {
        if (transforms.isEmpty()) {
            return value;
        }
        if (transformed == null) {
            transformed = new HashMap<>();
        }
        return transformed.computeIfAbsent(new Chain(value, transforms), c -> Rules.transform(c.value(), c.transforms()));
    }

    /** The Lua byte string {@code value} decoded as UTF-8; empty when it is not valid UTF-8. */
    Optional<String> utf8(String value) {
        if (decoded == null) {
            decoded = new HashMap<>();
        }
        return decoded.computeIfAbsent(value, ValueMemo::decode);
    }

    /** The sketch of a subject (a value, or its decoding under u). */
    TextSketch sketch(String subject) {
        if (sketchesByText == null) {
            sketchesByText = new HashMap<>();
        }
        return sketchesByText.computeIfAbsent(subject, TextSketch::of);
    }

    private static Optional<String> decode(String bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1))).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // PCRE: bad UTF-8 string, ngx.re.find returns nil and an error
        }
    }
}
