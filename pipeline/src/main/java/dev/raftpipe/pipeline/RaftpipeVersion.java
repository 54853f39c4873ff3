package dev.raftpipe.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, from the resource Maven filters at build time. */
public final class RaftpipeVersion {
    private RaftpipeVersion() {
    }

    public static String get() {
        try (InputStream in = RaftpipeVersion.class.getClassLoader().getResourceAsStream("raftpipe-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** What archives name as their producer. */
    public static String producer() {
        return "raftpipe " + get();
    }
}
