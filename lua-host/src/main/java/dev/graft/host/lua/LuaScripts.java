package dev.graft.host.lua;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * The scripts folder of one config generation: resolves module names to files inside it,
 * compiles each file once into a {@link Prototype} shared by every VM (a prototype is
 * immutable; each VM makes its own closure from it), and decides which files Lua may open.
 *
 * <p>Every path is checked after resolving symbolic links, so neither {@code ..} nor a link
 * can lead out of the folder. A soft reload builds a new instance, so edited files are
 * compiled again.
 */
public final class LuaScripts {

    private final Path root;
    private final ConcurrentHashMap<Path, Prototype> prototypes = new ConcurrentHashMap<>();

    private LuaScripts(Path root) {
        this.root = root;
    }

    /** The scripts in {@code folder}, which must exist. */
    public static LuaScripts open(Path folder) {
        requireNonNull(folder, "folder");
        try {
            return new LuaScripts(folder.toRealPath());
        } catch (IOException e) {
            throw new IllegalArgumentException("scripts: " + folder + " (expected: an existing folder)", e);
        }
    }

    /** The real path of the folder. */
    public Path root() {
        return root;
    }

    /**
     * The file of module {@code name} ("a.b" is {@code a/b.lua}, else {@code a/b/init.lua}),
     * if the name is well formed and the file exists inside the folder.
     */
    public Optional<Path> module(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return Optional.empty();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '.' || c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9'))) {
                return Optional.empty();
            }
        }
        String rel = name.replace('.', '/');
        Optional<Path> file = inside(rel + ".lua");
        return file.isPresent() ? file : inside(rel + "/init.lua");
    }

    /** The two candidate files of a module, for require's "not found" message. */
    public String candidates(String name) {
        String rel = name.replace('.', '/');
        return "\n\tno file '" + root.resolve(rel + ".lua") + "'\n\tno file '" + root.resolve(rel + "/init.lua") + "'";
    }

    /**
     * A regular file that Lua may open for reading: {@code path} relative to the folder (or
     * absolute), resolved with links, inside the folder.
     */
    public Optional<Path> readable(String path) {
        requireNonNull(path, "path");
        if (path.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            Path p = root.resolve(path).normalize();
            if (!p.startsWith(root)) {
                return Optional.empty();
            }
            return inside(root.relativize(p).toString());
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Optional<Path> inside(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Path real = p.toRealPath();
            return real.startsWith(root) && Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The compiled chunk of a file inside the folder, compiled on first use. Its chunk name is
     * the path relative to the folder ("waf/handler.lua"), which tracebacks and error
     * locations show. A syntax or read error raises a Lua error and is not cached.
     */
    public Prototype prototype(Path file) {
        requireNonNull(file, "file");
        Prototype p = prototypes.get(file);
        if (p != null) {
            return p;
        }
        return prototypes.computeIfAbsent(file, this::compile);
    }

    private Prototype compile(Path file) {
        String chunkName = root.relativize(file).toString().replace('\\', '/');
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(1);
            if (head.length == 1 && head[0] == 0x1B) {
                throw new LuaError(chunkName + ": binary chunks are not loaded");
            }
            try (InputStream all = Files.newInputStream(file)) {
                return LuaC.instance.compile(all, chunkName);
            }
        } catch (IOException e) {
            throw new LuaError("cannot read " + chunkName + ": " + e.getMessage());
        }
    }
}
