package dev.graft.modules.headers;

import dev.graft.bridge.HeaderFields;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header writes with the exact semantics of the Lua calls the module makes, so that the Java
 * port leaves the same header lines whatever the host's {@link HeaderFields} does with lists:
 * {@code ngx.req.set_header(name, value)} and {@code ngx.header[name] = value}.
 */
final class HeaderWrites {

    private HeaderWrites() {}

    /** Response headers nginx keeps one value of: assigning a list leaves the last. */
    private static final Set<String> SINGLE_VALUED = Set.of("server", "date", "content-length",
            "content-encoding", "location", "refresh", "last-modified", "content-range", "accept-ranges",
            "www-authenticate", "expires", "etag", "content-type");

    /**
     * {@code ngx.req.set_header(name, single(values))}: one value is set ("" removes); a list
     * replaces the header with one line per non-empty value.
     */
    static void setRequest(HeaderFields h, String name, List<String> values) {
        if (values.size() == 1) {
            setOne(h, name, values.get(0));
            return;
        }
        h.remove(name);
        for (String v : values) {
            if (!v.isEmpty()) {
                h.add(name, v);
            }
        }
    }

    /**
     * {@code ngx.header[name] = single(values)}: '_' in the name is '-'; one value is set ("" removes);
     * a list replaces the header with its non-empty values, or with the last one for a header
     * nginx holds once.
     */
    static void setResponse(HeaderFields h, String name, List<String> values) {
        String n = responseName(name);
        if (values.size() == 1) {
            setOne(h, n, values.get(0));
            return;
        }
        h.remove(n);
        if (!values.isEmpty() && SINGLE_VALUED.contains(n.toLowerCase(Locale.ROOT))) {
            setOne(h, n, values.get(values.size() - 1));
            return;
        }
        for (String v : values) {
            if (!v.isEmpty()) {
                h.add(n, v);
            }
        }
    }

    /** {@code ngx.header[name]} read as every value. */
    static List<String> getResponse(HeaderFields h, String name) {
        return h.all(responseName(name));
    }

    /** {@code ngx.header[name] = nil}. */
    static void removeResponse(HeaderFields h, String name) {
        h.remove(responseName(name));
    }

    private static void setOne(HeaderFields h, String name, String value) {
        if (value.isEmpty()) {
            h.remove(name);
        } else {
            h.set(name, value);
        }
    }

    /** ngx.header keys: '_' becomes '-', as OpenResty does. */
    static String responseName(String name) {
        return name.indexOf('_') < 0 ? name : name.replace('_', '-');
    }
}
