package org.acme.fargate.cloudmap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces and services cloudmap-local knows, declared the way the CloudFormation templates
 * declare them on AWS (a private DNS namespace, services with SRV and A records).
 */
@ConfigMapping(prefix = "cloudmap")
public interface CloudMapConfig {

    /** Private DNS namespaces by name, e.g. {@code shop.internal}. */
    Map<String, Namespace> namespaces();

    Dns dns();

    interface Namespace {
        /** The namespace id, shaped like AWS's ({@code ns-...}). */
        String id();

        @WithDefault("Private DNS for the services of this environment")
        String description();

        /** The SOA record's TTL: how long resolvers cache "no such name"; Cloud Map's default when omitted. */
        Optional<Long> soaTtl();

        /** Services by name, e.g. {@code service-b}. */
        Map<String, Service> services();
    }

    interface Service {
        /** The service id, shaped like AWS's ({@code srv-...}). */
        String id();

        @WithDefault("Registered by ECS")
        String description();

        /** MULTIVALUE: up to 8 healthy records per answer; WEIGHTED: one random healthy record. */
        @WithDefault("MULTIVALUE")
        RoutingPolicy routingPolicy();

        /** TTL of the SRV and A records, in seconds. */
        @WithDefault("10")
        long ttl();
    }

    interface Dns {
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("8053")
        int port();
    }

    enum RoutingPolicy {
        MULTIVALUE, WEIGHTED
    }
}
