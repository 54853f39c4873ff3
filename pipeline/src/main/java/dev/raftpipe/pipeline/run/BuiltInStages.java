package dev.raftpipe.pipeline.run;

import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.Sealers;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.Redaction;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.stages.StateSource;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The stages raftpipe ships, by the names pipeline files use. */
public final class BuiltInStages {
    private BuiltInStages() {
    }

    public static final class WalSourceStage implements StageFactory {
        public String name() {
            return "wal-source";
        }

        public Stage create(StageSettings s) {
            return new Stage.SourceStage(Payload.WAL_RECORDS, WalSource.fromDirectory(s.path("dir"),
                    WalSourceSettings.create(s.launcherConfig())));
        }
    }

    public static final class ResolveStage implements StageFactory {
        public String name() {
            return "resolve";
        }

        public Stage create(StageSettings s) {
            return new Stage.FlowStage(Payload.WAL_RECORDS, Payload.WAL_RECORDS,
                    RaftLog.resolve(RaftLogSettings.create(s.launcherConfig())));
        }
    }

    public static final class RedactStage implements StageFactory {
        public String name() {
            return "redact";
        }

        public Stage create(StageSettings s) {
            List<byte[]> drop = s.strings("redact-prefixes").stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
            List<byte[]> mask = s.strings("mask-prefixes").stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
            byte[] key = null;
            if (!mask.isEmpty()) {
                key = key(s, "mask-key-file");
            }
            return new Stage.FlowStage(Payload.WAL_RECORDS, Payload.WAL_RECORDS, Redaction.flow(
                    new RedactionPolicy(drop, mask, key, s.flag("keep-membership", false))));
        }
    }

    public static final class WalSinkStage implements StageFactory {
        public String name() {
            return "wal-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.WAL_RECORDS, WalSink.toDirectory(s.path("dir"),
                    WalSinkSettings.create(s.launcherConfig())));
        }
    }

    public static final class ReplaySinkStage implements StageFactory {
        public String name() {
            return "replay-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.WAL_RECORDS, BackendReplaySink.to(s.path("backend"),
                    BackendReplaySettings.create(s.launcherConfig())));
        }
    }

    public static final class StateSourceStage implements StageFactory {
        public String name() {
            return "state-source";
        }

        public Stage create(StageSettings s) {
            return new Stage.SourceStage(Payload.STATE_RECORDS, StateSource.fromBackend(s.path("backend")));
        }
    }

    public static final class ArchiveSinkStage implements StageFactory {
        public String name() {
            return "archive-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.STATE_RECORDS, SnapshotArchive.sink(s.path("out"), archive(s)));
        }
    }

    public static final class ArchiveSourceStage implements StageFactory {
        public String name() {
            return "archive-source";
        }

        public Stage create(StageSettings s) {
            return new Stage.SourceStage(Payload.STATE_RECORDS, SnapshotArchive.source(s.path("archive"), archive(s)));
        }
    }

    public static final class RestoreSinkStage implements StageFactory {
        public String name() {
            return "restore-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.STATE_RECORDS, BackendRestoreSink.to(s.path("backend"),
                    s.flag("force", false)));
        }
    }

    private static ArchiveSettings archive(StageSettings s) {
        Optional<Sealer> sealer = Optional.empty();
        if (s.has("seal")) {
            try {
                sealer = Optional.of(Sealers.of(s.string("seal"), key(s, "key-file")));
            } catch (IllegalArgumentException e) {
                throw s.invalid("seal", e.getMessage());
            }
        }
        return ArchiveSettings.create(s.launcherConfig()).withSealer(sealer);
    }

    private static byte[] key(StageSettings s, String setting) {
        Path file = s.path(setting);
        try {
            return SealKey.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw s.invalid(setting, e.getMessage());
        }
    }
}
