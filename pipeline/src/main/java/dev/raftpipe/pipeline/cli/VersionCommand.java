package dev.raftpipe.pipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print raftpipe's version.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("raftpipe " + version());
        return ExitCodes.OK;
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getClassLoader().getResourceAsStream("raftpipe-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"raftpipe " + version()};
        }
    }
}
