package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;

/** One decoded WAL record. */
public sealed interface WalRecord {

    RecordType type();

    record MetadataRecord(WalMetadata metadata) implements WalRecord {
        public RecordType type() {
            return RecordType.METADATA;
        }
    }

    record EntryRecord(Entry entry) implements WalRecord {
        public RecordType type() {
            return RecordType.ENTRY;
        }
    }

    record StateRecord(HardState state) implements WalRecord {
        public RecordType type() {
            return RecordType.STATE;
        }
    }

    /** Carries the running CRC at a segment start; it frames the chain and holds no data. */
    record CrcRecord(int crc) implements WalRecord {
        public RecordType type() {
            return RecordType.CRC;
        }
    }

    record SnapshotRecord(WalSnapshot snapshot) implements WalRecord {
        public RecordType type() {
            return RecordType.SNAPSHOT;
        }
    }
}
