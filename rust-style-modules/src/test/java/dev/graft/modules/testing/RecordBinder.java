package dev.graft.modules.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds decoded JSON to a config record the way the host's Jackson does (snake_case keys to
 * camelCase components, Jdk8Module's Optional, a static {@code valueOf(String)} /
 * {@code valueOf(boolean)} / {@code valueOf(long)} / {@code valueOf(double)} for a scalar where
 * a record is expected, no scalar coercion), so tests construct settings from the very JSON of the legacy cases.
 */
public final class RecordBinder {

    private RecordBinder() {}

    public static <T> T bind(Object json, Class<T> type) {
        return type.cast(value(json, type));
    }

    private static Object value(Object json, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg0 = p.getActualTypeArguments()[0];
            if (raw == Optional.class) {
                // a valueOf that answers null (maintenance: false) is absent, as Jackson's Jdk8Module makes it
                return json == null ? Optional.empty() : Optional.ofNullable(value(json, arg0));
            }
            if (json == null) {
                return null;
            }
            if (raw == List.class) {
                if (!(json instanceof List<?> l)) {
                    throw new IllegalArgumentException("expected a list, got " + json);
                }
                List<Object> out = new ArrayList<>();
                for (Object o : l) {
                    out.add(o == null ? null : value(o, arg0));
                }
                return out;
            }
            if (raw == Map.class) {
                if (!(json instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("expected an object, got " + json);
                }
                Type v = p.getActualTypeArguments()[1];
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, o) -> out.put((String) k, o == null ? null : value(o, v)));
                return out;
            }
            throw new IllegalArgumentException("unsupported type " + type);
        }
        Class<?> c = (Class<?>) type;
        if (json == null) {
            return null;
        }
        if (c == Object.class) {
            return json;
        }
        // no scalar coercion, as the host's binder: "5" is not a number, 5.5 not an integer
        if (c == String.class) {
            if (!(json instanceof String)) {
                throw new IllegalArgumentException("expected a string, got " + json);
            }
            return json;
        }
        if (c == Integer.class || c == int.class) {
            if (!(json instanceof Long n)) {
                throw new IllegalArgumentException("expected an integer, got " + json);
            }
            return n.intValue();
        }
        if (c == Long.class || c == long.class) {
            if (!(json instanceof Long n)) {
                throw new IllegalArgumentException("expected an integer, got " + json);
            }
            return n;
        }
        if (c == Double.class || c == double.class) {
            if (!(json instanceof Number n)) {
                throw new IllegalArgumentException("expected a number, got " + json);
            }
            return n.doubleValue();
        }
        if (c == Boolean.class || c == boolean.class) {
            if (!(json instanceof Boolean b)) {
                throw new IllegalArgumentException("expected true or false, got " + json);
            }
            return b;
        }
        if (c.isRecord()) {
            if (json instanceof Map<?, ?> m) {
                return record(m, c);
            }
            Class<?> arg = json instanceof Boolean ? boolean.class
                    : json instanceof Long ? long.class : json instanceof Double ? double.class : String.class;
            Method factory = factory(c, arg);
            if (factory == null) {
                throw new IllegalArgumentException("no valueOf for " + json + " as " + c.getSimpleName());
            }
            try {
                return factory.invoke(null, json);
            } catch (ReflectiveOperationException e) {
                throw rethrow(e);
            }
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    private static Method factory(Class<?> c, Class<?> arg) {
        try {
            Method m = c.getMethod("valueOf", arg);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object record(Map<?, ?> m, Class<?> c) {
        RecordComponent[] comps = c.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            args[i] = value(m.get(snake(comps[i].getName())), comps[i].getGenericType());
        }
        try {
            var ctor = c.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(ReflectiveOperationException e) {
        if (e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(e);
    }

    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
