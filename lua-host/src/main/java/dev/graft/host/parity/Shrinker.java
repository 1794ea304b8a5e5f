package dev.graft.host.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Shrinks a failing sequence to a small one that still fails: drops requests, headers, the
 * body, query and path segments, and simplifies method and client, keeping each change only
 * while the sequence still fails. Greedy; stops after a bounded number of attempts.
 */
final class Shrinker {

    private static final int MAX_ATTEMPTS = 400;

    private Shrinker() {}

    static Sequence shrink(Sequence failing, Predicate<Sequence> fails) {
        Sequence cur = failing;
        int attempts = 0;
        boolean progress = true;
        while (progress && attempts < MAX_ATTEMPTS) {
            progress = false;
            for (Sequence cand : candidates(cur)) {
                if (++attempts > MAX_ATTEMPTS) {
                    break;
                }
                if (fails.test(cand)) {
                    cur = cand;
                    progress = true;
                    break;
                }
            }
        }
        return cur;
    }

    private static List<Sequence> candidates(Sequence s) {
        List<Sequence> out = new ArrayList<>();
        List<ParityRequest> reqs = s.requests();
        for (int i = 0; i < reqs.size() && reqs.size() > 1; i++) {
            List<ParityRequest> fewer = new ArrayList<>(reqs);
            fewer.remove(i);
            out.add(with(s, fewer));
        }
        for (int i = 0; i < reqs.size(); i++) {
            for (ParityRequest smaller : smaller(reqs.get(i))) {
                List<ParityRequest> next = new ArrayList<>(reqs);
                next.set(i, smaller);
                out.add(with(s, next));
            }
        }
        return out;
    }

    private static Sequence with(Sequence s, List<ParityRequest> reqs) {
        return new Sequence(s.source(), s.kind(), reqs);
    }

    private static List<ParityRequest> smaller(ParityRequest r) {
        List<ParityRequest> out = new ArrayList<>();
        for (int i = 0; i < r.headers().size(); i++) {
            if (r.headers().get(i).name().equalsIgnoreCase("Host")) {
                continue;
            }
            List<ParityRequest.Header> h = new ArrayList<>(r.headers());
            h.remove(i);
            out.add(r.withHeaders(h));
        }
        if (r.body().isPresent()) {
            out.add(r.withBody(Optional.empty()));
            String b = r.body().get();
            if (b.length() > 1) {
                out.add(r.withBody(Optional.of(b.substring(0, b.length() / 2))));
            }
        }
        for (int i = 0; i < r.headers().size(); i++) {
            ParityRequest.Header h = r.headers().get(i);
            if (h.value().length() > 1 && !h.name().equalsIgnoreCase("Host")) {
                List<ParityRequest.Header> hs = new ArrayList<>(r.headers());
                hs.set(i, new ParityRequest.Header(h.name(), h.value().substring(0, h.value().length() / 2)));
                out.add(r.withHeaders(hs));
            }
        }
        String t = r.target();
        int q = t.indexOf('?');
        if (q >= 0) {
            out.add(r.withTarget(t.substring(0, q)));
            int amp = t.lastIndexOf('&');
            if (amp > q) {
                out.add(r.withTarget(t.substring(0, amp)));
            }
        }
        String path = q >= 0 ? t.substring(0, q) : t;
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            out.add(r.withTarget(path.substring(0, slash) + (q >= 0 ? t.substring(q) : "")));
        }
        if (!r.method().equals("GET")) {
            out.add(r.withMethod("GET"));
        }
        if (!r.client().equals("127.0.0.1")) {
            out.add(r.withClient("127.0.0.1"));
        }
        return out;
    }
}
