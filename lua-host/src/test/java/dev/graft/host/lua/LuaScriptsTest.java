package dev.graft.host.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaError;

class LuaScriptsTest {

    @TempDir
    Path dir;

    @Test
    void resolvesModuleNamesInsideTheFolderOnly() throws Exception {
        LuaFixture.write(dir, "a/b.lua", "return 1");
        LuaFixture.write(dir, "c/init.lua", "return 2");
        LuaScripts s = LuaScripts.open(dir);
        assertThat(s.module("a.b")).contains(dir.toRealPath().resolve("a/b.lua"));
        assertThat(s.module("c")).contains(dir.toRealPath().resolve("c/init.lua"));
        assertThat(s.module("a.missing")).isEmpty();
        for (String bad : new String[] {"", ".a", "a.", "a..b", "a/b", "a b", "../x"}) {
            assertThat(s.module(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void syntaxErrorsAreLuaErrorsNamingTheChunk() {
        Path f = LuaFixture.write(dir, "broken.lua", "return (");
        LuaScripts s = LuaScripts.open(dir);
        assertThatThrownBy(() -> s.prototype(s.module("broken").orElseThrow()))
                .isInstanceOf(LuaError.class).hasMessageContaining("broken.lua");
        assertThat(Files.exists(f)).isTrue();
    }

    @Test
    void missingFolderIsRefused() {
        assertThatThrownBy(() -> LuaScripts.open(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: an existing folder");
    }
}
