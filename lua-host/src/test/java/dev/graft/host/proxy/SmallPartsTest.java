package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig.Server;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small pure parts: request ids, hop-by-hop stripping, weighted choice, body buffering. */
class SmallPartsTest {

    @Test
    void request_ids_are_32_lowercase_hex_and_differ() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.next();
            assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void bug_hop_by_hop_stripping_followed_the_rfc_where_nginx_passes_headers_on() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Secret")
                .add("Connection", "x-other")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Trailer", "Expires")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("X-Secret", "1")
                .add("X-Other", "2")
                .add("Proxy-Authorization", "Basic abc")
                .add("Host", "a.test");
        HttpHeaders upstream = new DefaultHttpHeaders().set(headers);
        HopByHopHeaders.strip(headers);
        // towards the client nginx drops only Connection, Keep-Alive and the framing
        assertThat(headers.names()).containsExactlyInAnyOrder("Proxy-Connection", "TE", "Trailer", "Upgrade",
                "X-Secret", "X-Other", "Proxy-Authorization", "Host");
        // towards the upstream nginx's proxy module also replaces TE and Upgrade
        HopByHopHeaders.stripForUpstream(upstream);
        assertThat(upstream.names()).containsExactlyInAnyOrder("Proxy-Connection", "Trailer",
                "X-Secret", "X-Other", "Proxy-Authorization", "Host");
    }

    @Test
    void bug_proxied_responses_kept_what_nginx_hides_and_every_content_type() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Content-Type", "text/html").add("Content-Type", "text/plain")
                .add("X-Accel-Redirect", "/x").add("X-Accel-Buffering", "no").add("X-Pad", "p")
                .add("X-Accel-Charset", "utf-8").add("X-Accel-Expires", "5").add("X-Accel-Limit-Rate", "1")
                .add("Last-Modified", "a").add("Last-Modified", "b").add("Connection", "close");
        HopByHopHeaders.stripUpstreamResponse(headers);
        assertThat(headers.getAll("Content-Type")).containsExactly("text/plain");
        assertThat(headers.getAll("Last-Modified")).containsExactly("a", "b");
        assertThat(headers.names()).containsExactlyInAnyOrder("Content-Type", "Last-Modified");
    }

    @Test
    void weighted_choice_follows_weights_and_spreads_picks() {
        Server a = new Server("a", 1, 5);
        Server b = new Server("b", 1, 1);
        Server c = new Server("c", 1, 1);
        WeightedPicker picker = new WeightedPicker(List.of(a, b, c));
        Map<Server, Integer> counts = new HashMap<>();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            Server s = picker.next();
            counts.merge(s, 1, Integer::sum);
            order.append(s.host());
        }
        assertThat(counts).containsEntry(a, 5).containsEntry(b, 1).containsEntry(c, 1);
        // nginx's smooth weighted round robin for 5:1:1.
        assertThat(order).hasToString("aabacaa");
    }

    @Test
    void zero_weights_count_as_one() {
        WeightedPicker picker = new WeightedPicker(List.of(new Server("a", 1, 0), new Server("b", 1, 0)));
        assertThat(List.of(picker.next().host(), picker.next().host())).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void body_buffer_refuses_past_its_limit_without_appending() {
        BodyBuffer buffer = new BodyBuffer(-1);
        assertThat(buffer.append(Unpooled.wrappedBuffer(new byte[]{1, 2, 3}), 5)).isTrue();
        assertThat(buffer.append(Unpooled.wrappedBuffer(new byte[]{4, 5, 6}), 5)).isFalse();
        assertThat(buffer.append(Unpooled.wrappedBuffer(new byte[]{4, 5}), 5)).isTrue();
        assertThat(buffer.toArray()).containsExactly(1, 2, 3, 4, 5);
    }
}
