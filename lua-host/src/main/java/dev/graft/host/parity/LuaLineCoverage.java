package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.host.lua.InstructionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * Line coverage of one module's Lua files, from the VM's instruction hook (only in parity runs):
 * a probe on the VM's {@link InstructionBudget} records {@code chunk:line} for every line that runs; the
 * executable lines of each file are those of its functions' bytecode (the files' top-level
 * code runs once at {@code require}, outside any request, and is left out).
 */
final class LuaLineCoverage {

    private final String module;
    /** Executable lines per file, by the file's path relative to the scripts folder. */
    private final Map<String, SortedSet<Integer>> executable = new TreeMap<>();
    private final Map<String, SortedSet<Integer>> hit = new HashMap<>();

    private LuaLineCoverage(String module) {
        this.module = module;
    }

    /** Reads the executable lines of {@code scripts/<module>/*.lua}. */
    static LuaLineCoverage of(Path scripts, String module) {
        LuaLineCoverage c = new LuaLineCoverage(requireNonNull(module, "module"));
        Path dir = scripts.resolve(module);
        if (!Files.isDirectory(dir)) {
            return c;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lua")).sorted().toList()) {
                String name = module + "/" + f.getFileName();
                try (InputStream in = Files.newInputStream(f)) {
                    Prototype p = LuaC.instance.compile(in, name);
                    SortedSet<Integer> lines = new TreeSet<>();
                    for (Prototype child : p.p) {
                        collect(child, lines);
                    }
                    c.executable.put(name, lines);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c;
    }

    private static void collect(Prototype p, SortedSet<Integer> out) {
        for (int line : p.lineinfo) {
            if (line > 0) {
                out.add(line);
            }
        }
        for (Prototype child : p.p) {
            collect(child, out);
        }
    }

    /**
     * Sets an instruction probe on the VM of {@code globals} (its {@link InstructionBudget}):
     * each instruction looks up its prototype (cached by identity) and records the
     * instruction's line when the prototype's chunk is one of the module's files.
     */
    void attach(Globals globals) {
        if (!(globals.debuglib instanceof InstructionBudget budget)) {
            throw new IllegalStateException("debuglib: " + globals.debuglib + " (expected: Graft's InstructionBudget)");
        }
        String prefix = module + "/";
        java.util.IdentityHashMap<Prototype, SortedSet<Integer>> byProto = new java.util.IdentityHashMap<>();
        SortedSet<Integer> none = new TreeSet<>();
        budget.probe((p, pc) -> {
            SortedSet<Integer> lines = byProto.get(p);
            if (lines == null) {
                String src = p.source == null ? "" : p.source.tojstring();
                int at = src.indexOf(prefix);
                lines = at < 0 ? none : hit.computeIfAbsent(src.substring(at), k -> new TreeSet<>());
                byProto.put(p, lines);
            }
            if (lines != none && p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length) {
                lines.add(p.lineinfo[pc]);
            }
        });
    }

    /** Per file: executable lines, lines run, and the lines never run. */
    record FileCoverage(String file, int executable, int covered, List<Integer> unreached) {}

    List<FileCoverage> files() {
        return executable.entrySet().stream().map(e -> {
            SortedSet<Integer> h = hit.getOrDefault(e.getKey(), new TreeSet<>());
            List<Integer> missing = e.getValue().stream().filter(l -> !h.contains(l)).toList();
            return new FileCoverage(e.getKey(), e.getValue().size(), e.getValue().size() - missing.size(), missing);
        }).toList();
    }

    int executableLines() {
        return files().stream().mapToInt(FileCoverage::executable).sum();
    }

    int coveredLines() {
        return files().stream().mapToInt(FileCoverage::covered).sum();
    }
}
