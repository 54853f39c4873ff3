package dev.raftpipe.codecs.bolt;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bbolt file read through one meta page because the other is damaged (bbolt's rule after a torn meta write: the
 * valid meta with the highest txid wins). When the damaged page was the newer one, what is read is the state one
 * transaction before the file's last commit, so every reader says so: {@link BoltFile#open} tells the listeners
 * (the launcher prints a warning and adds it to its report), and {@link BoltFile#metaFallback} keeps it.
 *
 * @param damagedTxid the txid the damaged page names, when its header can still be read (not verified)
 */
public record MetaFallback(Path file, int damagedPage, String damage, OptionalLong damagedTxid, int usedPage,
                           long usedTxid) {
    private static final List<Consumer<MetaFallback>> LISTENERS = new CopyOnWriteArrayList<>();

    /**
     * Whether the damaged page was, or may have been (its txid unreadable), the newer one: the state read may be
     * older than the file's last commit.
     */
    public boolean olderState() {
        return damagedTxid.isEmpty() || damagedTxid.getAsLong() > usedTxid;
    }

    /** One line: which page, why, which txids, and what it means for the state read. */
    public String describe() {
        return "meta page " + damagedPage + " is damaged (" + damage
                + (damagedTxid.isPresent() ? "; it names txid " + damagedTxid.getAsLong() : "") + "): read meta page "
                + usedPage + " (txid " + usedTxid + ")" + (damagedTxid.isEmpty()
                ? ", which may hold an earlier transaction's state than the file's last"
                : olderState() ? ", the state of an earlier transaction than the file's last" : "");
    }

    /** Called with every fallback any reader in this process meets, until the returned handle is closed. */
    public static AutoCloseable listen(Consumer<MetaFallback> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    static void report(MetaFallback fallback) {
        for (Consumer<MetaFallback> l : LISTENERS) {
            l.accept(fallback);
        }
    }
}
