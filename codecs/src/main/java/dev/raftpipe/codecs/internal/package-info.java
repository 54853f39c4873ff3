/**
 * INTERNAL API: what the public classes beside this package are built from. Nothing here is a contract; it changes
 * without notice between versions. Compose the public factories and settings instead.
 */
package dev.raftpipe.codecs.internal;
