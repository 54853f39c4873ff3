package dev.raftpipe.stages;

import com.typesafe.config.Config;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ThreadPoolExecutorConfigurator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A dispatcher executor ({@code executor = "dev.raftpipe.stages.RecordingExecutor"}) that records, from inside each
 * task it runs, the dispatcher and the thread the task ran on: a test asks where work ran without listing live threads,
 * whose idle ones a thread pool may already have ended.
 */
public final class RecordingExecutor extends ExecutorServiceConfigurator {
    private static final Map<String, Set<String>> THREADS_BY_DISPATCHER = new ConcurrentHashMap<>();

    private final ThreadPoolExecutorConfigurator pool;

    public RecordingExecutor(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.pool = new ThreadPoolExecutorConfigurator(config.getConfig("thread-pool-executor"), prerequisites);
    }

    /** The names of the threads that ran a task of dispatcher {@code id} since the last {@link #clear()}. */
    public static Set<String> threadsOf(String id) {
        return Set.copyOf(THREADS_BY_DISPATCHER.getOrDefault(id, Set.of()));
    }

    public static void clear() {
        THREADS_BY_DISPATCHER.clear();
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        ExecutorServiceFactory factory = pool.createExecutorServiceFactory(id, threadFactory);
        return () -> new Recording(id, factory.createExecutorService());
    }

    private static final class Recording extends AbstractExecutorService {
        private final String id;
        private final ExecutorService delegate;

        Recording(String id, ExecutorService delegate) {
            this.id = id;
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(() -> {
                THREADS_BY_DISPATCHER.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getName());
                task.run();
            });
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
