package dev.raftpipe.pipeline.migrate.cluster;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

import java.util.Map;
import java.util.Set;

/**
 * New shards go to the worker holding the fewest; shards never move while their node lives. Moving a
 * shard stops its entity, and an entity owns a running job: a rebalance would lose the job's result
 * while its stream kept writing. Shards of a node that left are allocated afresh, which is the re-run.
 */
final class NoRebalanceAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
        ActorRef least = requester;
        int fewest = Integer.MAX_VALUE;
        for (Map.Entry<ActorRef, IndexedSeq<String>> e : current.entrySet()) {
            if (e.getValue().size() < fewest) {
                fewest = e.getValue().size();
                least = e.getKey();
            }
        }
        return Futures.successful(least);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        return Futures.successful(Set.of());
    }
}
