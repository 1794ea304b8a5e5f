package dev.graft.tests.rollout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code graft serve} in a process of its own, as an operator runs it: the shaded jar that the
 * reactor build packaged ({@code -Dgraft.jar}, set by tests/pom.xml), or, when that jar is
 * missing or older than the compiled classes (a build that stopped before package), the same
 * classes from this test's class path. Its output goes to files in {@code dir}.
 */
final class GraftProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("proxy on http://\\S+:(\\d+), admin on http://\\S+:(\\d+)");

    final Process process;
    final Path stdout;
    final Path stderr;
    private int adminPort = -1;

    private GraftProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code graft serve --config FILE --admin 127.0.0.1:0} and waits until it serves. */
    static GraftProcess serve(Path config, Path dir, String name) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher());
        cmd.addAll(List.of("serve", "--config", config.toString(), "--admin", "127.0.0.1:0"));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        System.out.println("starting " + name + ": " + (cmd.contains("-jar") ? "-jar " + cmd.get(cmd.indexOf("-jar") + 1)
                : "the test class path"));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        GraftProcess g = new GraftProcess(p, out, err);
        g.awaitReady(Duration.ofSeconds(60));
        return g;
    }

    static List<String> launcher() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1");
        String jarProperty = System.getProperty("graft.jar", "");
        if (!jarProperty.isEmpty()) {
            Path jar = Path.of(jarProperty);
            Path classes = jar.resolveSibling("classes/dev/graft/host/GraftServer.class");
            try {
                if (Files.isRegularFile(jar) && (!Files.exists(classes)
                        || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(classes)) >= 0)) {
                    List<String> cmd = new ArrayList<>(jvm);
                    cmd.addAll(List.of("-jar", jar.toString()));
                    return cmd;
                }
            } catch (IOException e) {
                // fall back to the class path
            }
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-cp", cp, "dev.graft.host.cli.GraftCli"));
        return cmd;
    }

    private void awaitReady(Duration max) throws IOException, InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = READY.matcher(Files.readString(stdout));
            if (m.find()) {
                adminPort = Integer.parseInt(m.group(2));
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("graft exited with " + process.exitValue() + ": " + output());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("graft did not start in " + max + ": " + output());
    }

    int adminPort() {
        return adminPort;
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal with kill(1): HUP, TERM. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    String output() throws IOException {
        return "stdout: " + Files.readString(stdout) + "\nstderr: " + Files.readString(stderr);
    }

    boolean awaitExit(Duration max) throws InterruptedException {
        return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
