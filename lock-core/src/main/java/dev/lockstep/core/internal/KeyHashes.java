package dev.lockstep.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests of keys, where a key's lock or lease is found by a fixed-size hash: stable across
 * JVMs, versions and machines. Two keys whose digests collide only exclude each other, which is the
 * safe direction.
 */
public final class KeyHashes {

    private KeyHashes() {}

    /** SHA-256 of the key's UTF-8 bytes: what {@code UNHEX(SHA2(key, 256))} gives on MariaDB (the lease's hash). */
    public static byte[] of(String key) {
        MessageDigest sha256 = sha256();
        return sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the namespace's UTF-8 bytes, a zero byte and the key's (a key lock's id, per namespace). */
    public static byte[] of(String namespace, String key) {
        MessageDigest sha256 = sha256();
        sha256.update(namespace.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(key.getBytes(StandardCharsets.UTF_8));
        return sha256.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
