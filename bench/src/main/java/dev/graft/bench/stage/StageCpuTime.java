package dev.graft.bench.stage;

import dev.graft.host.exchange.Exchange;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The JMH stage benchmarks' work measured in CPU time of the measuring thread instead of wall
 * time, for a machine shared with other work: a thread that is descheduled accrues no CPU time,
 * so the other processes' load moves these numbers much less than JMH's (caches and frequency
 * still move them). The collector's own threads are not counted (the process CPU clock would, but
 * ticks in 10 ms): an op that allocates more is flattered, which is Lua's side here; compare
 * bytes with JMH's {@code -prof gc}. Not part of bench/run.sh, which reports JMH; a tool for comparing two builds
 * on a busy machine. One module per JVM (as JMH forks one per parameter set), so call sites stay
 * as monomorphic as in the benchmarks.
 *
 * <p>Usage: {@code StageCpuTime MODULE [ROUNDS] [OPS]}: the exchange build alone, then for each
 * input (clean, hit) the Lua stage and the Java stage of MODULE, alternating, ROUNDS rounds of
 * OPS operations after a warm-up; prints one line per measurement with the median CPU ns/op and
 * the ratios (whole op, and minus the exchange build). {@code StageCpuTime native [ROUNDS] [OPS]}
 * measures {@link NativePipelineBench#run()} on the mix instead, with and without waf.
 */
public final class StageCpuTime {

    private StageCpuTime() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    /** One thing to measure: a request through something. */
    private interface Op {
        int run();
    }

    public static void main(String[] args) {
        String module = args.length > 0 ? args[0] : "auth";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        if (module.equals("native")) {
            for (String config : new String[] {"nowaf", "demo"}) {
                NativePipelineBench b = new NativePipelineBench();
                b.request = "mix";
                b.config = config;
                b.setUp();
                double[] run = measure(rounds, config.equals("demo") ? ops / 20 : ops, b::run,
                        () -> b.exchangeOnly().status());
                System.out.printf(Locale.ROOT, "native %-6s pipeline %9.0f cpu-ns/op   exchange %6.0f   pipeline minus"
                        + " exchange %9.0f%n", config, run[0], run[1], run[0] - run[1]);
            }
            System.out.println("sink " + sink);
            return;
        }
        StageInput buildInput = StageInputs.of("waf", "clean");
        Op build = () -> {
            Exchange ex = buildInput.exchange();
            StageRun.originResponse(ex);
            return ex.status();
        };
        LuaStages luaStages = LuaStages.load();
        LuaStages javaStages = LuaStages.load(Set.of(module));
        String customer = StageInputs.CUSTOMER.get(module);
        LuaStages.Handler lua = luaStages.handler(module, customer);
        LuaStages.Handler java = javaStages.handler(module, customer);
        for (String input : new String[] {"clean", "hit"}) {
            StageInput request = StageInputs.of(module, input);
            double[] r = measure(rounds, ops, () -> lua.run(request.exchange()), () -> java.run(request.exchange()),
                    build);
            if (javaStages.fallbacksAndExceptions() > 0) {
                throw new IllegalStateException(module + ": the Java stage fell back to Lua");
            }
            double stage = (r[0] - r[2]) / (r[1] - r[2]);
            System.out.printf(Locale.ROOT, "%-10s %-5s lua %8.0f  java %8.0f  build %5.0f cpu-ns/op   whole %5.2f"
                    + "   stage %5.2f%n", module, input, r[0], r[1], r[2], r[0] / r[1], stage);
        }
        System.out.println("sink " + sink);
    }

    /** Medians over the rounds of each op's CPU ns per call; the ops take turns within a round. */
    private static double[] measure(int rounds, int ops, Op... what) {
        for (Op op : what) { // warm-up: past C2 for every op
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                for (int i = 0; i < 1000; i++) {
                    sink += op.run();
                }
            }
        }
        double[][] per = new double[what.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < what.length; k++) {
                Op op = what[k];
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += op.run();
                }
                per[k][r] = (double) (THREADS.getCurrentThreadCpuTime() - t0) / ops;
            }
        }
        double[] out = new double[what.length];
        for (int k = 0; k < what.length; k++) {
            double[] v = per[k].clone();
            Arrays.sort(v);
            out[k] = v[v.length / 2];
        }
        return out;
    }
}
