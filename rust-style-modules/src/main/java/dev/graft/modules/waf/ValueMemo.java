package dev.graft.modules.waf;

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
 * transform chain (many rules share a chain and a target), and a value's UTF-8 decoding for
 * the rules with the {@code u} option. Both are pure functions of the value, so sharing them
 * across rules changes no result. Confined to the request's thread; the maps are made on first
 * use, so requests whose rules need neither (the built-in set) pay nothing.
 */
final class ValueMemo {

    private record Chain(String value, List<WafRule.Transform> transforms) {}

    private Map<Chain, String> transformed;
    private Map<String, Optional<String>> decoded;

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
