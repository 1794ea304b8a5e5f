package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UpstreamHandlerTest {

    /** Records what the handler delivers; releases content like a real call would. */
    private static final class Recorder implements UpstreamHandler.Listener {
        final List<String> events = new ArrayList<>();

        @Override public void onResponseHead(HttpResponse head) { events.add("head:" + head.status().code()); }
        @Override public void onResponseContent(HttpContent content) {
            events.add((content instanceof LastHttpContent ? "last:" : "content:") + content.content().readableBytes());
            content.release();
        }
        @Override public void onReadComplete() { events.add("readComplete"); }
        @Override public void onWritabilityChanged() { events.add("writability"); }
        @Override public void onFailure(UpstreamFailure failure) { events.add("failure:" + failure); }
    }

    private static HttpResponse head(int status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    }

    @Test
    void passes_the_response_to_the_attached_request_and_skips_interim_responses() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        Recorder recorder = new Recorder();
        handler.attach(recorder);
        channel.writeInbound(head(100), LastHttpContent.EMPTY_LAST_CONTENT);
        channel.writeInbound(head(200), new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[3])),
                new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[2])));
        assertThat(recorder.events).containsExactly("readComplete", "head:200", "content:3", "last:2", "readComplete");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a_closed_connection_is_a_reset_for_the_attached_request() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        Recorder recorder = new Recorder();
        handler.attach(recorder);
        channel.close();
        assertThat(recorder.events).containsExactly("failure:RESET");
    }

    @Test
    void an_undecodable_response_is_a_bad_response_and_closes() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        Recorder recorder = new Recorder();
        handler.attach(recorder);
        HttpResponse broken = head(200);
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
        channel.writeInbound(broken);
        assertThat(recorder.events).containsExactly("failure:BAD_RESPONSE");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void the_read_timeout_fires_after_silence_and_reads_push_it_back() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        Recorder recorder = new Recorder();
        handler.attach(recorder);
        handler.armReadTimeout(1000);
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.writeInbound(head(200));
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(recorder.events).doesNotContain("failure:READ_TIMEOUT");
        channel.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(recorder.events).endsWith("failure:READ_TIMEOUT");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void paused_reads_do_not_count_as_silence() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        Recorder recorder = new Recorder();
        handler.attach(recorder);
        handler.armReadTimeout(1000);
        handler.pauseReads();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.advanceTimeBy(5000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(recorder.events).isEmpty();
        handler.resumeReads();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(recorder.events).containsExactly("failure:READ_TIMEOUT");
    }

    @Test
    void a_pooled_connection_expires_after_the_idle_timeout() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        AtomicInteger exits = new AtomicInteger();
        handler.enterPool(500, exits::incrementAndGet);
        channel.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(exits).hasValue(1);
    }

    @Test
    void taking_a_pooled_connection_cancels_its_expiry() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        AtomicInteger exits = new AtomicInteger();
        handler.enterPool(500, exits::incrementAndGet);
        handler.attach(new Recorder());
        channel.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(exits).hasValue(0);
    }

    @Test
    void an_origin_closing_a_pooled_connection_takes_it_out_of_the_pool() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        AtomicInteger exits = new AtomicInteger();
        handler.enterPool(60_000, exits::incrementAndGet);
        channel.close();
        assertThat(exits).hasValue(1);
    }

    @Test
    void bytes_on_an_idle_connection_close_it() {
        UpstreamHandler handler = new UpstreamHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        AtomicInteger exits = new AtomicInteger();
        handler.enterPool(60_000, exits::incrementAndGet);
        var content = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[4]));
        channel.writeInbound(content);
        assertThat(content.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
        assertThat(exits).hasValue(1);
    }
}
