package dev.raftpipe.codecs.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where an output is built before it is renamed onto its published name: {@code <target>.tmp-<owner>-<random>},
 * the owner being this host, this process's pid and its start time. A run killed with SIGKILL cannot clean up after
 * itself; the next one that builds the same target proves such leftovers stale (same host, and that pid is gone or
 * belongs to a process started at another time) and removes them, with whatever suffixes they grew ({@code .state},
 * {@code -wal}, a directory's contents). Names raftpipe did not make this way are never touched.
 */
public final class TempOutput {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("\\.tmp-([0-9a-f]{8})-(\\d+)-([0-9a-z]+)-[0-9a-f]{8}.*");
    private static final Pattern IN_TEXT = Pattern.compile(
            "([^\\s:'\"]+?)\\.tmp-[0-9a-f]{8}-\\d+-[0-9a-z]+-[0-9a-f]{8}[^\\s:'\"]*");
    private static final String HOST = hostHash();
    private static final long PID = ProcessHandle.current().pid();
    private static final String STARTED = Long.toString(startSecond(ProcessHandle.current()).orElse(0L), 36);

    private TempOutput() {
    }

    /** A fresh temporary name beside {@code target}, after removing the provably stale ones of killed runs. */
    public static Path beside(Path target) {
        Path absolute = target.toAbsolutePath();
        sweep(absolute);
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        return absolute.resolveSibling(absolute.getFileName() + ".tmp-" + HOST + "-" + PID + "-" + STARTED + "-"
                + HexFormat.of().formatHex(r));
    }

    /**
     * {@code text} with every temporary output's name (and any path inside it, or suffix it grew) replaced by the name
     * it is published under: a message tells the user about their path, not about ours.
     */
    public static String withPublishedNames(String text) {
        return IN_TEXT.matcher(text).replaceAll("$1");
    }

    /** Whether {@code candidate} is named as one of {@code target}'s temporary outputs (this run's or another's). */
    public static boolean isTempOf(Path target, Path candidate) {
        String prefix = target.getFileName().toString();
        String name = candidate.getFileName().toString();
        return name.startsWith(prefix) && NAME.matcher(name.substring(prefix.length())).matches();
    }

    /** Removes the leftovers of {@code target}'s killed runs on this host; returns what it removed. */
    public static List<Path> sweep(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        List<Path> removed = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return removed;
        }
        String prefix = absolute.getFileName().toString();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, glob(prefix) + ".tmp-*")) {
            for (Path p : siblings) {
                String rest = p.getFileName().toString().substring(prefix.length());
                if (stale(rest)) {
                    FileTrees.delete(p);
                    removed.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover stays, named as ours; the run's own work matters more
        }
        return removed;
    }

    /** Whether a name's owner is provably gone: made on this host by a process that no longer runs. */
    static boolean stale(String suffix) {
        Matcher m = NAME.matcher(suffix);
        if (!m.matches() || !m.group(1).equals(HOST)) {
            return false;
        }
        long pid = Long.parseLong(m.group(2));
        String started = m.group(3);
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        Optional<Long> ownerStart = startSecond(owner.get());
        // the pid was reused by a process started at another time; unknown start times prove nothing
        return ownerStart.isPresent() && !Long.toString(ownerStart.get(), 36).equals(started);
    }

    private static Optional<Long> startSecond(ProcessHandle p) {
        return p.info().startInstant().map(Instant::getEpochSecond);
    }

    private static String glob(String literal) {
        return literal.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    private static String hostHash() {
        String host;
        try {
            // the kernel's name, not a DNS lookup (which can stall a start for seconds)
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        CRC32 crc = new CRC32();
        crc.update(host.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
