package dev.graft.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .ci/jdk.sh, which ./graft and .ci/run share, run by bash against fake JDK folders. */
class JdkFinderScriptTest {

    private static final Path SCRIPT = Path.of("..", ".ci", "jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A fake JDK home whose java prints the version line the way the JDK does. */
    private Path jdk(String name, String version, boolean javac) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jvm").resolve(name).resolve("bin"));
        script(bin.resolve("java"), "echo 'openjdk version \"" + version + "\" 2025-01-01' >&2");
        if (javac) {
            script(bin.resolve("javac"), "exit 0");
        }
        return bin.getParent();
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int code, String out, String err) {}

    private Run select(String javaHome, Path pathDir) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT), "run inside the repository");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c",
                "source \"$1\"; graft_select_jdk && echo \"$JAVA_HOME\"", "bash", SCRIPT.toString());
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("PATH", pathDir + ":" + tools());
        pb.environment().put("GRAFT_JVM_DIR", dir.resolve("jvm").toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    /** Only the tools the script uses, so that a real java on this machine's PATH cannot interfere. */
    private Path tools() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("sed", "head", "dirname", "readlink")) {
            Path link = tools.resolve(tool);
            if (!Files.exists(link)) {
                Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
                Files.createSymbolicLink(link, real);
            }
        }
        return tools;
    }

    private Path emptyPath() throws IOException {
        return Files.createDirectories(dir.resolve("nobin"));
    }

    @Test
    void javaHomeWins() throws Exception {
        Path home = jdk("my-22", "22.0.1", true);
        jdk("newer-25", "25", true);
        assertThat(select(home.toString(), emptyPath()).out()).isEqualTo(home.toString());
    }

    @Test
    void anOldJavaHomeFallsBackToTheNewestUnderTheJvmFolder() throws Exception {
        Path old = jdk("java-17", "17.0.15", true);
        jdk("jdk-21", "21.0.2", true);
        Path newest = jdk("jdk-25", "25.0.3", true);
        jdk("jre-26", "26", false);
        assertThat(select(old.toString(), emptyPath()).out()).isEqualTo(newest.toString());
    }

    @Test
    void noJdk21SaysWhatItFound() throws Exception {
        Path old = jdk("java-17", "17.0.15", true);
        Run r = select("", old.resolve("bin"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: needs a JDK 21 or newer (found 17 at " + old.resolve("bin/java")
                + "); install openjdk-21-jdk or set JAVA_HOME");
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(1);
    }
}
