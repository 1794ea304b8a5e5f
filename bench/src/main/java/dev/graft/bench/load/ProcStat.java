package dev.graft.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident memory of a process from /proc: user + system time of every thread
 * (the process's own counters include all its threads), and of its child processes when asked
 * (an nginx master and its worker).
 */
final class ProcStat {

    /** Clock ticks per second of /proc/PID/stat ({@code getconf CLK_TCK}, 100 on Linux x86). */
    static final long TICKS_PER_SECOND = clockTicks();

    private ProcStat() {}

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** utime + stime of {@code pid}, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may hold spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) / (double) TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("pid " + pid + ": cannot read /proc (expected: a running process)", e);
        }
    }

    /** CPU seconds of {@code pid} and, with {@code children}, of its direct children. */
    static double cpuSeconds(long pid, boolean children) {
        double s = cpuSeconds(pid);
        if (children) {
            for (long c : children(pid)) {
                s += cpuSeconds(c);
            }
        }
        return s;
    }

    /** The direct children of {@code pid}. */
    static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                Path file = t.resolve("children");
                if (Files.exists(file)) {
                    for (String s : Files.readString(file).trim().split("\\s+")) {
                        if (!s.isEmpty()) {
                            out.add(Long.parseLong(s));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone: no children
        }
        return out;
    }

    /** VmRSS of {@code pid}, in bytes. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
