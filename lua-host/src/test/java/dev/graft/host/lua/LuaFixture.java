package dev.graft.host.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.NgxApi;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Builds VMs and exchanges for tests, and runs Lua snippets as phase handlers. */
public final class LuaFixture {

    private final LuaVm vm;

    private LuaFixture(LuaVm vm) {
        this.vm = vm;
    }

    /** A VM over {@code dir} (which may hold modules), with a budget of 100,000 instructions per call. */
    public static LuaFixture in(Path dir) {
        return new LuaFixture(LuaVm.create(LuaScripts.open(dir), new NgxApi.Settings(1, 4, "origin-a"), 100_000,
                List.of()));
    }

    public LuaVm vm() {
        return vm;
    }

    /** Writes a file under {@code dir}, creating folders. */
    public static Path write(Path dir, String relative, String content) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of {@code target} from 127.0.0.1:40000 to 127.0.0.1:8080 with the given header pairs. */
    public static Exchange exchange(String method, String target, String... headerPairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        int q = target.indexOf('?');
        return Exchange.builder()
                .requestId("req-1")
                .remote(new InetSocketAddress("127.0.0.1", 40000))
                .local(new InetSocketAddress("127.0.0.1", 8080))
                .requestUri(target)
                .method(method)
                .uri(q < 0 ? target : target.substring(0, q))
                .args(q < 0 ? null : target.substring(q + 1))
                .headers(h)
                .build();
    }

    /** Runs {@code code} as a {@code phase} handler of {@code ex}. */
    public CallResult call(Exchange ex, Phase phase, String code) {
        LuaValue fn = vm.globals().load(code, "test.lua");
        return vm.call(ex, phase, fn, LuaValue.NONE);
    }

    /** Runs {@code code} and returns what it returned, failing the test on any other end. */
    public Varargs eval(Exchange ex, Phase phase, String code) {
        CallResult r = call(ex, phase, code);
        assertThat(r).isInstanceOf(CallResult.Returned.class);
        return ((CallResult.Returned) r).values();
    }

    /** The message of a failed call. */
    public String error(Exchange ex, Phase phase, String code) {
        CallResult r = call(ex, phase, code);
        assertThat(r).isInstanceOf(CallResult.Failed.class);
        return ((CallResult.Failed) r).message();
    }
}
