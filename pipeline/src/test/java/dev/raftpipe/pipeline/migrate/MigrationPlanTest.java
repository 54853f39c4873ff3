package dev.raftpipe.pipeline.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationPlanTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyPathsResolveAgainstThePlanAndTargetsDefaultUnderTargetDir() throws Exception {
        MigrationPlan plan = MigrationPlan.load(write("""
                defaults { job = replay, target-dir = out }
                clusters = [
                  { name = a, source = data/a }
                  { name = b, source = /abs/b, job = seal, target = "x/b.snap" }
                  { name = c, source = c.snap, job = restore, key-file = k }
                ]
                """));
        ClusterSpec a = plan.clusters().get(0);
        assertEquals(JobKind.REPLAY, a.job());
        assertEquals(dir.resolve("data/a"), a.source());
        assertEquals(dir.resolve("out/a.db"), a.target());
        assertEquals(dir.resolve("x/b.snap"), plan.clusters().get(1).target());
        assertEquals(Path.of("/abs/b"), plan.clusters().get(1).source());
        assertEquals(dir.resolve("k"), plan.clusters().get(2).path("key-file"));
        // what travels to a worker comes back the same
        ClusterSpec back = ClusterSpec.fromText(a.toText());
        assertEquals(a.target(), back.target());
        assertEquals(a.fingerprint(), back.fingerprint());
    }

    @Test
    void aRunningMemberIsASourceWithItsConnectionFilesResolved() throws Exception {
        MigrationPlan plan = MigrationPlan.load(write("""
                clusters = [
                  { name = live, job = seal, source = "https://10.0.0.1:2379", target = live.snap, cacert = pki/ca.crt,
                    cert = pki/c.crt, key = pki/c.key, user = root, password-file = pw }
                ]
                """));
        ClusterSpec live = ClusterSpec.fromText(plan.clusters().get(0).toText());
        var access = live.endpoint().orElseThrow();
        assertEquals("https://10.0.0.1:2379", access.endpoint());
        assertEquals(java.util.Optional.of(dir.resolve("pki/ca.crt")), access.cacert());
        assertEquals(java.util.Optional.of(dir.resolve("pw")), access.passwordFile());
        assertEquals(java.util.Optional.of("root"), access.user());
    }

    @Test
    void aChangedEntryHasAnotherFingerprint() throws Exception {
        String one = MigrationPlan.load(write("clusters = [ { name = a, job = replay, source = s, target = t.db } ]"))
                .clusters().get(0).fingerprint();
        String two = MigrationPlan.load(write("clusters = [ { name = a, job = replay, source = s2, target = t.db } ]"))
                .clusters().get(0).fingerprint();
        assertTrue(!one.equals(two));
    }

    @Test
    void badPlansAreRefusedWithFileLineAndCluster() throws Exception {
        assertRefused("clusters = [\n  { name = a, job = replay, source = s, target = t, mask-prefix = [\"/x\"] }\n]",
                "plan.conf:2: unknown setting 'mask-prefix'");
        assertRefused("clusters = [\n { name = a, job = replay, source = s, target = t }\n { name = a, job = replay, source = s, target = u }\n]",
                "cluster 'a' is named twice");
        assertRefused("clusters = [\n { name = a, job = replay, source = s, target = t }\n { name = b, job = replay, source = s, target = t }\n]",
                "writes " + dir.resolve("t") + ", as cluster 'a' does");
        assertRefused("clusters = [ { name = a, job = copy, source = s, target = t } ]", "unknown job 'copy'");
        assertRefused("clusters = [ { name = a, job = backup, source = s } ]", "cluster 'a': needs target");
        assertRefused("clusters = [ { name = \"../a\", job = backup, source = s, target = t } ]", "must be letters");
        assertRefused("clusters = [ { name = a, job = backup, source = s, target = t, mask-prefixes = [\"/s/\"] } ]",
                "mask-prefixes needs mask-key-file");
        assertRefused("clusters = [ { name = a, job = backup, source = s, target = t, redact-prefixes = [\"\"] } ]",
                "would match every key");
        assertRefused("clusters = []", "clusters is empty");
        assertRefused("clusters = [ { name = a, job = backup, source = \"https://m:2379\", target = t } ]",
                "is a source for seal and replay jobs only");
        assertRefused("clusters = [ { name = a, job = seal, source = s, target = t, cacert = ca } ]",
                "cacert goes with a source that is a running member");
        assertRefused("clusters = [ { name = a, job = seal, source = \"https://m:2379\", target = t, user = root } ]",
                "user needs password-file");
        assertRefused("clusters = [ { name = a, job = seal, source = \"https://m:2379\", target = t, user = \"root:pw\" } ]",
                "a plan holds no passwords");
        assertRefused("defaults { job = replay }", "the plan needs clusters");
    }

    @Test
    void everyMistakeOfAPlanIsSaidInOneRun() throws Exception {
        Files.createDirectories(dir.resolve("here"));
        Path plan = write("""
                defaults { job = replay, colour = blue }
                clusters = [
                  { name = a, source = here, target = a.db }
                  { name = b, job = backup, source = here, target = b, mask-prefixes = ["/s/"], mask-key-file = no.key }
                  { name = c, job = teleport, source = here, target = c.db }
                  { name = a, source = here, target = a2.db }
                  { name = d, source = nowhere, target = d.db }
                ]
                """);
        PlanException e = assertThrows(PlanException.class, () -> MigrationPlan.loadChecked(plan));
        for (String expected : List.of("unknown setting 'colour'", "mask-key-file " + dir.resolve("no.key")
                + " does not exist", "unknown job 'teleport'", "cluster 'a' is named twice",
                "source " + dir.resolve("nowhere") + " does not exist")) {
            assertTrue(e.getMessage().contains(expected), expected + " in: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("5 errors: "), e.getMessage());
    }

    private void assertRefused(String text, String expected) throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> MigrationPlan.load(write(text)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("plan.conf"), text);
    }
}
