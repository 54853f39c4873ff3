package dev.raftpipe.pipeline.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionRulesTest {
    @TempDir
    Path tmp;

    private static List<String> text(List<byte[]> prefixes) {
        return prefixes.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void prefixesAndARulesFileMakeOnePolicyWhereverTheyCameFrom() throws Exception {
        Path rules = Files.writeString(tmp.resolve("rules"), "# comment\nredact /private/\nmask /registry/configmaps/\n");
        Path key = Files.writeString(tmp.resolve("key"), "ab".repeat(32));
        RedactionRules.Resolved r = new RedactionRules(List.of("/a/"), List.of("/registry/secrets/"), Optional.of(rules),
                true).resolve(Optional.empty(), Optional.of(key), RedactionRules.WithoutKey.REFUSE);
        assertEquals(List.of("/a/", "/private/"), text(r.policy().dropPrefixes()));
        assertEquals(List.of("/registry/secrets/", "/registry/configmaps/"), text(r.policy().maskPrefixes()));
        assertArrayEquals(java.util.HexFormat.of().parseHex("ab".repeat(32)), r.policy().maskKey());
        assertTrue(r.policy().keepMembership());
        assertFalse(r.keyGenerated());
    }

    @Test
    void maskingWithoutAKeyIsGeneratedForBackupAndRefusedElsewhere() throws Exception {
        RedactionRules masking = new RedactionRules(List.of(), List.of("/s/"), Optional.empty(), false);
        RedactionRules.Resolved generated = masking.resolve(Optional.empty(), Optional.empty(),
                RedactionRules.WithoutKey.GENERATE);
        assertTrue(generated.keyGenerated());
        assertEquals(32, generated.policy().maskKey().length);
        RedactionRules.Invalid refused = assertThrows(RedactionRules.Invalid.class, () -> masking.resolve(
                Optional.empty(), Optional.empty(), RedactionRules.WithoutKey.REFUSE));
        assertEquals("mask-key-file", refused.setting());
        byte[] given = new byte[32];
        given[0] = 7;
        assertArrayEquals(given, masking.resolve(Optional.of(given), Optional.of(tmp.resolve("unused")),
                RedactionRules.WithoutKey.REFUSE).policy().maskKey(), "a key given outright wins over a file");
        assertThrows(NoSuchFileException.class, () -> masking.resolve(Optional.empty(),
                Optional.of(tmp.resolve("missing")), RedactionRules.WithoutKey.GENERATE));
        assertEquals(0, new RedactionRules(List.of("/d/"), List.of(), Optional.empty(), false).resolve(Optional.empty(),
                Optional.empty(), RedactionRules.WithoutKey.REFUSE).policy().maskKey().length, "no masking, no key needed");
    }

    @Test
    void badInputNamesTheSettingItCameFrom() {
        assertEquals("redact-prefixes", assertThrows(RedactionRules.Invalid.class, () -> new RedactionRules(
                List.of(""), List.of(), Optional.empty(), false).resolve(Optional.empty(), Optional.empty(),
                RedactionRules.WithoutKey.REFUSE)).setting());
        assertEquals("mask-prefixes", assertThrows(RedactionRules.Invalid.class, () -> new RedactionRules(
                List.of(), List.of(""), Optional.empty(), false).resolve(Optional.empty(), Optional.empty(),
                RedactionRules.WithoutKey.GENERATE)).setting());
    }
}
