package org.acme.fargate.cloudmap;

import java.security.SecureRandom;

/** Identifiers shaped like Cloud Map's: {@code ns-…}/{@code srv-…} ids and ARNs in a local region and account. */
final class Arns {

    static final String PREFIX = "arn:aws:servicediscovery:local:000000000000:";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Arns() {
    }

    /** A new id: the prefix and 16 characters of the base32 alphabet, as AWS writes them. */
    static String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
