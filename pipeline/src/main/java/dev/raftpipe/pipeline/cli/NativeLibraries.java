package dev.raftpipe.pipeline.cli;

import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Extracts, at build time ({@code pipeline/cds-train.sh}), the native libraries of SQLite and zstd for this machine
 * out of the launcher JAR, and writes the {@code java-opts} that make both libraries load them from there: otherwise
 * each copies its library to a temporary file at every start (~70 ms of a replay's start on 2 cores). Each library
 * picks its own file the way it would at run time; one it cannot find here is left to extract itself as before.
 * Not a user command.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** @param args the directory to write, beside the JAR */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NativeLibraries <dir>");
            System.exit(3);
        }
        Path dir = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        List<String> opts = new ArrayList<>();
        sqlite(dir).ifPresent(lib -> {
            opts.add("-Dorg.sqlite.lib.path=" + lib.getParent());
            opts.add("-Dorg.sqlite.lib.name=" + lib.getFileName());
        });
        zstd(dir).ifPresent(lib -> opts.add("-DZstdNativePath=" + lib));
        // the launcher splits the options on white space: a path with any is left to the libraries' own extraction
        opts.removeIf(o -> o.chars().anyMatch(Character::isWhitespace));
        Path file = dir.resolve("java-opts");
        Files.writeString(file, String.join(" ", opts) + "\n");
        System.out.println("native-libraries: " + file + ": " + String.join(" ", opts));
    }

    /** Where sqlite-jdbc itself looks in its JAR: {@code /org/sqlite/native/<OS>/<arch>/}. */
    private static Optional<Path> sqlite(Path dir) throws IOException {
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
        return copy(resource, dir.resolve("sqlite").resolve(name));
    }

    /** zstd-jni's {@code /<os>/<arch>/libzstd-jni-<version>.so}; its version is whatever this JAR holds. */
    private static Optional<Path> zstd(Path dir) throws IOException, URISyntaxException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!os.equals("linux")) {
            return Optional.empty();
        }
        String prefix = os + "/" + System.getProperty("os.arch") + "/libzstd-jni-";
        Path jar = Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            Optional<String> entry = file.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".so")).findFirst();
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            String name = entry.get().substring(entry.get().lastIndexOf('/') + 1);
            return copy("/" + entry.get(), dir.resolve("zstd").resolve(name));
        }
    }

    private static Optional<Path> copy(String resource, Path to) throws IOException {
        try (InputStream in = NativeLibraries.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.createDirectories(to.getParent());
            Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(to);
        }
    }
}
