package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One request of the parity corpus, as a client sends it: the customer it is for (which
 * settings it meets), method, request target, headers in order (repeats allowed), optional
 * body, and the client address. The host header defaults to the customer's first host.
 *
 * @param customer the customer of the parity config that serves it
 * @param method   the request method
 * @param target   the request target as sent (odd encodings kept)
 * @param headers  header lines in order
 * @param body     the body, if any (one char per byte)
 * @param client   the client's IP address (IPv4 or IPv6 literal)
 */
public record ParityRequest(String customer, String method, String target, List<Header> headers,
                            Optional<String> body, String client) {

    public ParityRequest {
        requireNonNull(customer, "customer");
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        headers = List.copyOf(requireNonNull(headers, "headers"));
        requireNonNull(body, "body");
        requireNonNull(client, "client");
    }

    /** One header line. */
    public record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    public ParityRequest withHeaders(List<Header> next) {
        return new ParityRequest(customer, method, target, next, body, client);
    }

    public ParityRequest withTarget(String next) {
        return new ParityRequest(customer, method, next, headers, body, client);
    }

    public ParityRequest withMethod(String next) {
        return new ParityRequest(customer, next, target, headers, body, client);
    }

    public ParityRequest withBody(Optional<String> next) {
        return new ParityRequest(customer, method, target, headers, next, client);
    }

    public ParityRequest withClient(String next) {
        return new ParityRequest(customer, method, target, headers, body, next);
    }

    /** The request as a short, readable block: request line, headers, body size, client. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(abbreviate(target, 300)).append("  [customer ").append(customer)
                .append(", client ").append(client).append(']');
        List<String> lines = new ArrayList<>();
        for (Header h : headers) {
            lines.add(h.name() + ": " + abbreviate(h.value(), 200));
        }
        for (String l : lines) {
            sb.append("\n    ").append(l);
        }
        body.ifPresent(b -> sb.append("\n    <body ").append(b.length()).append(" bytes: ")
                .append(abbreviate(b, 120)).append('>'));
        return sb.toString();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
    }
}
