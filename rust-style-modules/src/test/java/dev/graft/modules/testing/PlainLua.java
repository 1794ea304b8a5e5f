package dev.graft.modules.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a legacy module's handler.lua in a plain Lua 5.1 interpreter ({@code lua5.1}), under a
 * small stub of {@code ngx} that records what the module does, so a Java port can be compared
 * with the Lua code itself on thousands of generated inputs. Lua 5.1's string library is what
 * LuaJIT's is for these modules (byte strings, C-locale patterns). Skipped without lua5.1.
 *
 * <p>A driver script (test resource {@code lua-parity/NAME.lua}) reads one input per line on
 * stdin and writes one result per line; the legacy scripts folder is its first argument.
 */
public final class PlainLua {

    private PlainLua() {}

    /** The driver's output lines for {@code input}, one per input line. */
    public static List<String> run(String driver, List<String> input) throws IOException, InterruptedException {
        assumeTrue(available(), "lua5.1 is not installed");
        Path script = Files.createTempFile("parity-", ".lua");
        Path in = Files.createTempFile("parity-", ".txt");
        try (InputStream s = PlainLua.class.getResourceAsStream("/lua-parity/" + driver + ".lua")) {
            Files.write(script, s.readAllBytes());
            Files.writeString(in, String.join("\n", input) + "\n", StandardCharsets.ISO_8859_1);
            Process p = new ProcessBuilder("lua5.1", script.toString(), scripts().toAbsolutePath().toString())
                    .redirectInput(in.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.ISO_8859_1).lines().toList();
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(in);
        }
    }

    /** Each char of a byte-per-char string as two hex digits: inputs and outputs cross as hex. */
    public static String hex(String s) {
        StringBuilder b = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            b.append(Character.forDigit(s.charAt(i) >> 4 & 0xF, 16)).append(Character.forDigit(s.charAt(i) & 0xF, 16));
        }
        return b.toString();
    }

    private static boolean available() {
        try {
            Process p = new ProcessBuilder("lua5.1", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Path scripts() {
        for (String s : List.of("../legacy-scripts", "legacy-scripts", "/work/main/legacy-scripts")) {
            if (Files.isDirectory(Path.of(s))) {
                return Path.of(s);
            }
        }
        throw new IllegalStateException("legacy-scripts not found");
    }
}
