package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.RaftpipeVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import java.util.concurrent.Callable;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print raftpipe's version.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("raftpipe " + version());
        return ExitCodes.OK;
    }

    static String version() {
        return RaftpipeVersion.get();
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"raftpipe " + version()};
        }
    }
}
