package dev.raftpipe.pipeline.location;

/**
 * An object in S3-compatible storage, written {@code s3://bucket/key} as the AWS CLI writes it. The key is taken as
 * given (no normalisation: {@code a//b} and {@code a/b} are two objects).
 */
public record ObjectUrl(String bucket, String key) {
    public static final String SCHEME = "s3://";

    public ObjectUrl {
        if (bucket.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("an object URL is s3://bucket/key, not s3://" + bucket + "/" + key);
        }
    }

    public static boolean is(String text) {
        return text.startsWith(SCHEME);
    }

    public static ObjectUrl parse(String text) {
        if (!is(text)) {
            throw new IllegalArgumentException(text + " is not an s3://bucket/key URL");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(text + ": an object URL is s3://bucket/key (a key, not only a bucket)");
        }
        return new ObjectUrl(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The object whose key is this one's with {@code suffix} appended: a sidecar beside its archive. */
    public ObjectUrl withSuffix(String suffix) {
        return new ObjectUrl(bucket, key + suffix);
    }

    /** The key's last segment, what a local copy of the object is named. */
    public String fileName() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
