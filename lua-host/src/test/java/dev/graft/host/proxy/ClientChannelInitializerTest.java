package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientChannelInitializerTest {

    @Test
    void installs_the_handlers_in_the_order_bytes_meet_them_and_tracks_the_channel() {
        StubPipeline pipeline = new StubPipeline();
        DefaultChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        EmbeddedChannel channel = new EmbeddedChannel();
        LoopContext loop = new LoopContext(TestConfigs.config(Map.of(), "none", TestConfigs.LIMITS), pipeline,
                new UpstreamPool(channel.eventLoop(), Transport.NIO), new RecordingMetrics(), () -> false);
        channel.pipeline().addLast(new ClientChannelInitializer(l -> loop, clients));
        assertThat(channel.pipeline().names()).startsWith("idle", "guard", "http", "decode-check", "frontend");
        assertThat(clients.contains(channel)).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void the_decoder_only_backs_up_the_guard_with_wider_limits_from_the_config() {
        var config = ClientChannelInitializer.decoderConfig(TestConfigs.LIMITS);
        assertThat(config.getMaxInitialLineLength()).isGreaterThan(TestConfigs.LIMITS.maxInitialLineBytes());
        assertThat(config.getMaxHeaderSize()).isGreaterThan(TestConfigs.LIMITS.maxHeaderBytes());
        assertThat(config.isAllowDuplicateContentLengths()).isFalse();
        assertThat(config.isStrictLineParsing()).isTrue();
    }
}
