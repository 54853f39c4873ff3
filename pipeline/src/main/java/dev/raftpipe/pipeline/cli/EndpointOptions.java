package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.endpoint.EndpointAccess;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.SnapshotLocation;
import dev.raftpipe.stages.EndpointSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** etcdctl's connection flags, for a command that reads a live member. */
class EndpointOptions {
    @Option(names = "--cacert", paramLabel = "<file>", description = "CA bundle of the member's server certificate (PEM).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "<file>", description = "Client certificate (PEM), for a member with --client-cert-auth.")
    Path cert;

    @Option(names = "--key", paramLabel = "<file>", description = "The client certificate's key (PEM: PKCS#8, RSA or EC).")
    Path key;

    @Option(names = "--user", paramLabel = "<name[:password]>", description = {"etcd user with the root role, when auth "
            + "is enabled; without :password, from --password-file or typed at the terminal."})
    String user;

    @Option(names = "--password-file", paramLabel = "<file>", description = "The --user's password (one line).")
    Path passwordFile;

    /** Refuses connection flags given without {@code --endpoint} (null: none), before any work. */
    void requireEndpoint(String endpoint) {
        if (endpoint == null && (cacert != null || cert != null || key != null || user != null || passwordFile != null)) {
            throw new UsageException("--cacert, --cert, --key, --user and --password-file go with --endpoint");
        }
    }

    /**
     * The snapshot a command reads: the member at {@code endpoint} when given, else the {@code etcdSnapshot} file, its
     * trailer required unless {@code skipHashCheck}.
     */
    SnapshotLocation snapshot(String endpoint, Place etcdSnapshot, boolean skipHashCheck, Config config)
            throws IOException {
        EndpointSettings member = settings(endpoint, config);
        if (member != null) {
            return new SnapshotLocation.Member(member);
        }
        SnapshotTrailer.Check trailer = skipHashCheck ? SnapshotTrailer.Check.SKIP : SnapshotTrailer.Check.REQUIRED;
        return etcdSnapshot instanceof Place.Remote r ? new SnapshotLocation.Object(r.url(), trailer)
                : new SnapshotLocation.File(((Place.Local) etcdSnapshot).path(), trailer);
    }

    /** The member to read, or null when the source is not one ({@code endpoint} null). */
    EndpointSettings settings(String endpoint, Config config) throws IOException {
        if (endpoint == null) {
            return null;
        }
        try {
            return new EndpointAccess(endpoint, Optional.ofNullable(cacert), Optional.ofNullable(cert),
                    Optional.ofNullable(key), Optional.ofNullable(user), Optional.ofNullable(passwordFile))
                    .settings(config);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
