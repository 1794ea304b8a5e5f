package dev.graft.host.bridge;

import dev.graft.bridge.HeaderFields;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link HeaderFields} over the exchange's own Netty headers, which Lua's
 * {@code ngx.req.get_headers()} / {@code ngx.header} read too. For the response, an empty value
 * removes the field, as {@code ngx.header.X = ""} does.
 */
final class ExchangeHeaders implements HeaderFields {

    private final HttpHeaders headers;
    private final boolean response;
    private final HeaderNames names;

    ExchangeHeaders(HttpHeaders headers, boolean response) {
        this(headers, response, new HeaderNames());
    }

    /** @param names the loop's header names as Netty keeps them */
    ExchangeHeaders(HttpHeaders headers, boolean response, HeaderNames names) {
        this.headers = headers;
        this.response = response;
        this.names = names;
    }

    @Override
    public Optional<String> first(String name) {
        return Optional.ofNullable(headers.get(names.of(name)));
    }

    @Override
    public List<String> all(String name) {
        CharSequence n = names.of(name);
        // most names have no value or one: answer those without Netty's per-call list
        return switch (count(n)) {
            case 0 -> List.of();
            case 1 -> List.of(headers.get(n));
            default -> headers.getAll(n);
        };
    }

    @Override
    public int count(String name) {
        return count(names.of(name));
    }

    private int count(CharSequence name) {
        if (!headers.contains(name)) {
            return 0; // the usual answer, without Netty's value iterator
        }
        int n = 0;
        for (Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(name); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    @Override
    public int size() {
        return headers.size();
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(names.of(name));
    }

    @Override
    public void set(String name, String value) {
        if (response && value.isEmpty()) {
            headers.remove(names.of(name));
        } else {
            headers.set(names.of(name), value);
        }
    }

    @Override
    public void add(String name, String value) {
        if (!(response && value.isEmpty())) {
            headers.add(names.of(name), value);
        }
    }

    @Override
    public void remove(String name) {
        headers.remove(names.of(name));
    }

    @Override
    public List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : headers) {
            names.add(e.getKey().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(new ArrayList<>(names));
    }
}
