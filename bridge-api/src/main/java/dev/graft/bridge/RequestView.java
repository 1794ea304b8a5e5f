package dev.graft.bridge;

import java.util.List;
import java.util.Optional;

/** The request as a stage sees and changes it. Changes are visible to every later stage, Lua or Java. */
public interface RequestView {

    /** The method ({@code ngx.req.get_method()}). */
    String method();

    void method(String method);

    /** The target exactly as the client sent it ({@code $request_uri}). */
    String requestUri();

    /** The decoded, normalised path ({@code $uri}). */
    String uri();

    /** Sets the path, keeping the args ({@code ngx.req.set_uri(uri)}). */
    void uri(String uri);

    /** The raw query string without '?' ({@code $args}), if any. */
    Optional<String> args();

    /** Replaces the query string ({@code ngx.req.set_uri_args(string)}); empty removes it. */
    void args(String args);

    /**
     * The decoded values of query argument {@code name}, in order, as
     * {@code ngx.req.get_uri_args()} gives them ('+' is a space; a valueless arg is the empty
     * string here and {@code true} in Lua).
     */
    List<String> arg(String name);

    /** The request header fields. */
    HeaderFields headers();

    /** The value of cookie {@code name} ({@code $cookie_NAME}). */
    Optional<String> cookie(String name);

    /** The whole body, when the pipeline asked for it to be read. */
    Optional<byte[]> body();

    /** The host the request is for ({@code $host}): lower case, without port. */
    String host();

    /** "http" or "https" ({@code $scheme}). */
    String scheme();

    /** "HTTP/1.1" and the like ({@code $server_protocol}). */
    String protocol();
}
