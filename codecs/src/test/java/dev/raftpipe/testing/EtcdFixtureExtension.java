package dev.raftpipe.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Sets the {@link EtcdFixture} fields of a test class; the extracted trees go when the class's tests are done. */
public final class EtcdFixtureExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EtcdFixtureExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> test = context.getRequiredTestClass();
        // one directory per class, removed with the class's store
        ExtractedFixtures extracted = context.getStore(NAMESPACE).getOrComputeIfAbsent(test,
                t -> new ExtractedFixtures(), ExtractedFixtures.class);
        for (Class<?> c = test; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                EtcdFixture fixture = f.getAnnotation(EtcdFixture.class);
                if (fixture == null) {
                    continue;
                }
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Path.class) {
                    throw new IllegalStateException(f + ": @EtcdFixture goes on a static Path field");
                }
                f.setAccessible(true);
                f.set(null, extracted.get(fixture.value()));
            }
        }
    }

    /** The fixtures extracted for one class, each once. */
    private static final class ExtractedFixtures implements ExtensionContext.Store.CloseableResource {
        private final Path dir;

        ExtractedFixtures() {
            try {
                dir = Files.createTempDirectory("raftpipe-fixtures-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path get(String name) {
            Path extracted = dir.resolve(name);
            return Files.isDirectory(extracted) ? extracted : EtcdFixtures.extract(name, dir);
        }

        @Override
        public void close() throws IOException {
            try (Stream<Path> walk = Files.walk(dir)) {
                List<Path> all = walk.toList();
                all.forEach(p -> p.toFile().setWritable(true)); // a test may have made a directory read-only
                for (Path p : all.stream().sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
