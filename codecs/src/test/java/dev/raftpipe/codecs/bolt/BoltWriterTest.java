package dev.raftpipe.codecs.bolt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the writer writes, the reader reads back: every page reached once, every key and value as written. */
class BoltWriterTest {
    @TempDir
    Path tmp;

    /** Bucket name → key (as hex, for order) → value. */
    private static Map<String, TreeMap<String, byte[]>> randomBuckets(Random r, int buckets, int maxKeys) {
        Map<String, TreeMap<String, byte[]>> out = new TreeMap<>();
        for (int b = 0; b < buckets; b++) {
            TreeMap<String, byte[]> keys = new TreeMap<>();
            int n = switch (b % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(8);
                default -> r.nextInt(maxKeys + 1);
            };
            for (int i = 0; i < n; i++) {
                byte[] key = new byte[1 + r.nextInt(40)];
                r.nextBytes(key);
                int size = switch (r.nextInt(20)) {
                    case 0 -> 0;
                    case 1 -> 4096 + r.nextInt(3 * 4096); // overflow pages
                    default -> r.nextInt(200);
                };
                byte[] value = new byte[size];
                r.nextBytes(value);
                keys.put(java.util.HexFormat.of().formatHex(key), value);
            }
            out.put("bucket-" + (char) ('a' + b), keys);
        }
        return out;
    }

    private Path write(Map<String, TreeMap<String, byte[]>> buckets, String name) throws Exception {
        Path file = tmp.resolve(name);
        try (BoltWriter w = BoltWriter.create(file, 4096)) {
            for (var b : buckets.entrySet()) {
                w.beginBucket(b.getKey());
                for (var e : b.getValue().entrySet()) {
                    w.put(java.util.HexFormat.of().parseHex(e.getKey()), e.getValue());
                }
                w.endBucket();
            }
            w.finish();
        }
        return file;
    }

    private static void assertReadsBack(Path file, Map<String, TreeMap<String, byte[]>> buckets) throws Exception {
        try (BoltFile f = BoltFile.open(file)) {
            assertTrue(f.metaFallback().isEmpty());
            assertEquals(BoltMeta.NO_FREELIST, f.meta().freelist());
            PageVisits visits = new PageVisits();
            BoltCursor top = f.cursor(f.root(), visits);
            List<String> names = new ArrayList<>();
            for (BoltEntry b = top.next(); b != null; b = top.next()) {
                String name = new String(b.key(), StandardCharsets.UTF_8);
                names.add(name);
                BoltBucket bucket = f.nested(name, b);
                BoltCursor c = f.cursor(bucket, visits);
                for (var expected : buckets.get(name).entrySet()) {
                    BoltEntry e = c.next();
                    assertEquals(expected.getKey(), java.util.HexFormat.of().formatHex(e.key()), name);
                    assertArrayEquals(expected.getValue(), e.value(), name + " " + expected.getKey());
                }
                assertNull(c.next(), name);
                if (bucket.isInline()) {
                    int size = 16;
                    for (var e : buckets.get(name).entrySet()) {
                        size += 16 + e.getKey().length() / 2 + e.getValue().length;
                    }
                    assertTrue(size <= 1024, name + " is inline but holds " + size + " bytes");
                }
            }
            assertEquals(new ArrayList<>(buckets.keySet()), names);
            assertEquals(f.meta().highWater() - 2, visits.pages(), "every page but the metas is reached, once");
            assertEquals(f.meta().highWater() * 4096, f.size());
        }
    }

    @Test
    void aSeededCorpusOfBucketsRoundTrips() throws Exception {
        Random r = new Random(18);
        for (int c = 0; c < 12; c++) {
            var buckets = randomBuckets(r, 1 + r.nextInt(6), c < 10 ? 3000 : 100_000);
            assertReadsBack(write(buckets, "case-" + c), buckets);
        }
    }

    @Test
    void smallBucketsAreInlinedAndLargeOnesAreNot() throws Exception {
        var buckets = new TreeMap<String, TreeMap<String, byte[]>>();
        buckets.put("big", new TreeMap<>(Map.of("00", new byte[2000])));
        buckets.put("empty", new TreeMap<>());
        buckets.put("small", new TreeMap<>(Map.of("01", new byte[10], "02", new byte[20])));
        Path file = write(buckets, "inline");
        try (BoltFile f = BoltFile.open(file)) {
            assertTrue(f.bucket("small").orElseThrow().isInline());
            assertTrue(f.bucket("empty").orElseThrow().isInline());
            assertTrue(!f.bucket("big").orElseThrow().isInline());
        }
        assertReadsBack(file, buckets);
    }

    @Test
    void keysOutOfOrderAreRefused() throws Exception {
        try (BoltWriter w = BoltWriter.create(tmp.resolve("bad"), 4096)) {
            w.beginBucket("b");
            w.put(new byte[] {2}, new byte[0]);
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> w.put(new byte[] {1}, new byte[0]));
            assertTrue(e.getMessage().contains("increasing"));
        }
    }
}
