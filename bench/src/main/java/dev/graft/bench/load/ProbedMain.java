package dev.graft.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Runs a main class (the Graft CLI, or {@link RawProxyMain}) and answers the load harness on
 * stdin, so that allocation and heap can be read from inside the proxy's JVM without an agent:
 * {@code alloc} prints {@code PROBE alloc <bytes allocated by all threads since start>};
 * {@code gc} runs a full GC and prints {@code PROBE heap <bytes used after it>}. The probe
 * thread is blocked on stdin the rest of the time, so it costs the proxy nothing.
 */
public final class ProbedMain {

    private ProbedMain() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ProbedMain MAIN-CLASS [ARGS...]");
            System.exit(2);
        }
        Thread probe = new Thread(ProbedMain::answer, "bench-probe");
        probe.setDaemon(true);
        probe.start();
        Class<?> main = Class.forName(args[0]);
        MethodHandle h = MethodHandles.publicLookup().findStatic(main, "main",
                MethodType.methodType(void.class, String[].class));
        h.invoke((Object) java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    private static void answer() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "alloc" -> say("alloc " + threads.getTotalThreadAllocatedBytes());
                    case "gc" -> {
                        System.gc();
                        say("heap " + memory.getHeapMemoryUsage().getUsed());
                    }
                    default -> say("unknown " + line.trim());
                }
            }
        } catch (java.io.IOException e) {
            // the harness went away: nothing more to answer
        }
    }

    private static void say(String s) {
        synchronized (System.out) {
            System.out.println("PROBE " + s);
            System.out.flush();
        }
    }
}
