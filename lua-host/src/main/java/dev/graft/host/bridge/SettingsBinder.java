package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.graft.host.config.ConfigError;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds a customer's settings of one module (the JSON object the Lua handler gets as
 * {@code conf}) to the Java module's config record, with Jackson.
 *
 * <p>Rules, as /work/devtools/PORTER-BRIEF.md tells porters: JSON keys are snake_case, record
 * components camelCase ({@code body_limit} is {@code bodyLimit}); nested objects bind to
 * nested records, arrays to {@code List}, objects to {@code Map}, absent or JSON {@code null}
 * to {@code null} (an {@code Optional} component: empty), and the compact constructor applies
 * the Lua module's defaults and validates. Keys the record does not know are ignored, as the
 * Lua module ignores them. No scalar coercion: {@code "5"} is not a number and {@code 5.5} not
 * an integer, because the Lua module's {@code type(v) == "number"} tests see the JSON types.
 *
 * <p>Errors name the JSON path: {@code customers.shop.modules.waf.threshold: "x" (expected: a
 * number)}; a constructor's {@code IllegalArgumentException} ({@code field: value (expected:
 * ...)}) gets the record's path in front of its field.
 */
final class SettingsBinder {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private SettingsBinder() {}

    /** The bound settings, or why they do not bind. */
    sealed interface Bound {
        record Ok(Object config) implements Bound {}

        record Refused(ConfigError error) implements Bound {}
    }

    /**
     * Binds {@code settings} to {@code type}.
     *
     * @param path where the settings are in the config, e.g. {@code customers.shop.modules.waf}
     */
    static Bound bind(ObjectNode settings, Class<?> type, String path) {
        requireNonNull(settings, "settings");
        requireNonNull(type, "type");
        requireNonNull(path, "path");
        try {
            Object config = MAPPER.treeToValue(settings, type);
            if (config == null) {
                return new Bound.Refused(new ConfigError(path, settings.toString(), "settings that bind to "
                        + type.getSimpleName()));
            }
            return new Bound.Ok(config);
        } catch (ValueInstantiationException e) {
            return new Bound.Refused(constructorError(settings, path, e));
        } catch (MismatchedInputException e) {
            String at = path + pathOf(e.getPath());
            return new Bound.Refused(new ConfigError(at, show(nodeAt(settings, e.getPath())), expected(e.getTargetType())));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
                return new Bound.Refused(fromMessage(path + pathOf(e.getPath()), iae.getMessage()));
            }
            String at = path + pathOf(e.getPath());
            return new Bound.Refused(new ConfigError(at, show(nodeAt(settings, e.getPath())),
                    "settings that bind to " + type.getSimpleName() + " (" + e.getOriginalMessage() + ")"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Bound.Refused(new ConfigError(path, settings.toString(), "settings that bind to "
                    + type.getSimpleName() + " (" + e.getOriginalMessage() + ")"));
        } catch (IllegalArgumentException e) {
            // treeToValue wraps some failures in an IllegalArgumentException of its own
            Throwable cause = e.getCause();
            if (cause instanceof JsonMappingException jme) {
                return new Bound.Refused(new ConfigError(path + pathOf(jme.getPath()),
                        show(nodeAt(settings, jme.getPath())), jme.getOriginalMessage()));
            }
            return new Bound.Refused(fromMessage(path, String.valueOf(e.getMessage())));
        }
    }

    private static ConfigError constructorError(ObjectNode settings, String path, ValueInstantiationException e) {
        String at = path + pathOf(e.getPath());
        Throwable cause = e.getCause();
        while (cause instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null) {
            cause = ite.getCause();
        }
        if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            return fromMessage(at, iae.getMessage());
        }
        return new ConfigError(at, show(nodeAt(settings, e.getPath())),
                "settings the Java module can build (its constructor failed: " + cause + ")");
    }

    /**
     * {@code prefix} + a constructor's message: {@code field: value (expected: ...)} becomes
     * {@code prefix.field: value (expected: ...)}; any other message is kept whole.
     */
    static ConfigError fromMessage(String prefix, String message) {
        int colon = message.indexOf(": ");
        int expected = message.lastIndexOf(" (expected: ");
        if (colon > 0 && expected > colon && message.endsWith(")") && !message.substring(0, colon).contains(" ")) {
            String field = message.substring(0, colon);
            String sep = field.startsWith("[") ? "" : ".";
            return new ConfigError(prefix + sep + field, message.substring(colon + 2, expected),
                    message.substring(expected + " (expected: ".length(), message.length() - 1));
        }
        return new ConfigError(prefix, message, "settings the Java module accepts");
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : refs) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : r.getIndex() >= 0 ? n.get(r.getIndex()) : n;
        }
        return n;
    }

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        String s = n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a value for " + type.getSimpleName();
    }
}
