package dev.raftpipe.pipeline.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build's class-data-sharing training run ({@code pipeline/cds-train.sh}): the common commands, each once, in
 * one JVM, over the bundled single-member sample, so that the archive recorded as this JVM exits holds what each of
 * them loads and the first run of any of them starts fast. Not a user command: its output is thrown away and any
 * command that fails fails the training (exit 1), so the archive never hides a broken command.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /** @param args a data dir ({@code member/wal}, {@code member/snap/db}) and a directory that does not exist */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CdsTraining <etcd-data-dir> <work-dir>");
            System.exit(3);
        }
        String data = args[0];
        Path work = Files.createDirectories(Path.of(args[1]));
        String wal = data + "/member/wal";
        String db = data + "/member/snap/db";
        String out = work.toString();
        List<List<String>> commands = List.of(
                List.of("version"),
                List.of("--help"),
                List.of("wal", "inspect", wal),
                List.of("wal", "inspect", wal, "--json"),
                List.of("wal", "dump", wal),
                List.of("db", "inspect", db, "--json"),
                List.of("db", "dump", db),
                List.of("replay", "--wal-dir", wal, "--backend", out + "/replayed.db", "--json"),
                List.of("seal", "--backend", out + "/replayed.db", "--out", out + "/sealed.snap"),
                List.of("verify", out + "/sealed.snap"),
                List.of("inspect", out + "/sealed.snap", "--json"),
                List.of("restore", out + "/sealed.snap", "--backend", out + "/restored.db"),
                List.of("export", out + "/sealed.snap", "--etcd-snapshot", out + "/exported.db"),
                List.of("restore", out + "/sealed.snap", "--etcd-data-dir", out + "/member-dir", "--name", "n1",
                        "--initial-cluster", "n1=http://127.0.0.1:2380",
                        "--initial-advertise-peer-urls", "http://127.0.0.1:2380"),
                List.of("backup", "--data-dir", data, "--backup-dir", out + "/backup", "--mask-prefix", "/k"),
                List.of("backup", "--data-dir", data, "--archive", out + "/backup.walsnap", "--json"),
                List.of("verify", out + "/backup.walsnap", "--json"));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        for (List<String> command : commands) {
            int exit;
            try {
                System.setOut(nowhere);
                System.setErr(nowhere);
                exit = Main.run(command.toArray(String[]::new));
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            if (exit != 0) {
                System.err.println("cds training: raftpipe " + String.join(" ", command) + " exited " + exit);
                System.exit(1);
            }
        }
        System.exit(0);
    }
}
