package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.redact.RedactionPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one reading of a redaction request, whether it comes from backup's flags, a migrate plan or a pipeline's
 * {@code redact} stage: drop and mask prefixes (an empty one is refused: it would match every key), a rules file's
 * lines added to them, and the HMAC key masking needs, given in hex, read from a key file, or else generated (backup
 * reports it) or refused (a plan or a pipeline must name one, so every cluster and run masks alike).
 */
public record RedactionRules(List<String> dropPrefixes, List<String> maskPrefixes, Optional<Path> rulesFile,
                             boolean keepMembership) {
    /** Masking without a key given. */
    public enum WithoutKey { GENERATE, REFUSE }

    public record Resolved(RedactionPolicy policy, boolean keyGenerated) {
    }

    /** A request that cannot be carried out; {@code setting} names it as plans and pipeline files do. */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String setting;

        Invalid(String setting, String message, Throwable cause) {
            super(message, cause);
            this.setting = setting;
        }

        /** {@code redact-prefixes}, {@code mask-prefixes}, {@code rules-file} or {@code mask-key-file}. */
        public String setting() {
            return setting;
        }
    }

    public RedactionRules {
        dropPrefixes = List.copyOf(dropPrefixes);
        maskPrefixes = List.copyOf(maskPrefixes);
    }

    /**
     * @param key     the key itself, when given (in hex, by a pipeline's {@code mask-key})
     * @param keyFile a file holding it, 32 bytes raw or 64 hex digits
     * @throws Invalid              a bad prefix, rules file or key, or masking without a key under {@code REFUSE}
     * @throws NoSuchFileException the key file does not exist
     */
    public Resolved resolve(Optional<byte[]> key, Optional<Path> keyFile, WithoutKey without) throws IOException {
        List<byte[]> drop = prefixes("redact-prefixes", dropPrefixes);
        List<byte[]> mask = prefixes("mask-prefixes", maskPrefixes);
        if (rulesFile.isPresent()) {
            try {
                RulesFile rules = RulesFile.read(rulesFile.get());
                drop.addAll(rules.redact());
                mask.addAll(rules.mask());
            } catch (IllegalArgumentException e) {
                throw new Invalid("rules-file", e.getMessage(), e);
            }
        }
        if (mask.isEmpty()) {
            return new Resolved(new RedactionPolicy(drop, mask, null, keepMembership), false);
        }
        if (key.isPresent()) {
            return new Resolved(new RedactionPolicy(drop, mask, key.get(), keepMembership), false);
        }
        if (keyFile.isPresent()) {
            if (!Files.isRegularFile(keyFile.get())) {
                throw new NoSuchFileException(keyFile.get().toString(), null, "mask key file not found");
            }
            try {
                return new Resolved(new RedactionPolicy(drop, mask, SealKey.read(keyFile.get()), keepMembership), false);
            } catch (IllegalArgumentException e) {
                throw new Invalid("mask-key-file", e.getMessage(), e);
            }
        }
        if (without == WithoutKey.REFUSE) {
            throw new Invalid("mask-key-file", "masking needs mask-key-file", null);
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        return new Resolved(new RedactionPolicy(drop, mask, generated, keepMembership), true);
    }

    private static List<byte[]> prefixes(String setting, List<String> prefixes) {
        List<byte[]> out = new ArrayList<>();
        for (String p : prefixes) {
            try {
                out.add(RulesFile.prefix(p));
            } catch (IllegalArgumentException e) {
                throw new Invalid(setting, e.getMessage(), e);
            }
        }
        return out;
    }
}
