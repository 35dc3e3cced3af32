package org.acme.fargate.storefront;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.Security;

/**
 * Bounds the JVM's DNS cache before anything resolves a name. The JVM reads
 * {@code networkaddress.cache.ttl} once, at its first lookup, and without a security manager caches
 * for 30 s; a task that moved would be called at its old IP for that long after its record expired
 * (Cloud Map's TTL here is 10 s). Override with {@code -Dnetworkaddress.cache.ttl=N}.
 */
@QuarkusMain
public class StorefrontMain {

    static final String DNS_CACHE_TTL_SECONDS = "10";

    public static void main(String... args) {
        Security.setProperty("networkaddress.cache.ttl", System.getProperty("networkaddress.cache.ttl",
                DNS_CACHE_TTL_SECONDS));
        Security.setProperty("networkaddress.cache.negative.ttl", "1");
        Quarkus.run(args);
    }
}
