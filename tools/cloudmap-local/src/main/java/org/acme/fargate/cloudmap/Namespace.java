package org.acme.fargate.cloudmap;

import java.time.Instant;

/**
 * A private DNS namespace: a Route 53 private hosted zone answered by the VPC resolver. Namespaces cannot be
 * changed after creation on AWS either (only their tags), so this is a value.
 *
 * @param soaTtl the TTL of the zone's SOA record, which bounds how long resolvers cache a negative answer
 */
public record Namespace(String id, String name, String description, String creatorRequestId, String vpc,
        long soaTtl, Instant createDate) {

    /** The SOA TTL Cloud Map gives a namespace created without one. */
    public static final long DEFAULT_SOA_TTL = 15;

    public String arn() {
        return Arns.PREFIX + "namespace/" + id;
    }

    /** The id of the hosted zone Cloud Map creates for the namespace, shaped like Route 53's. */
    public String hostedZoneId() {
        return "Z" + id.substring(id.indexOf('-') + 1).toUpperCase();
    }

    /** Whether a DNS name lies in this namespace's zone. */
    public boolean contains(String dnsName) {
        String lower = dnsName.toLowerCase();
        return lower.equals(name.toLowerCase()) || lower.endsWith("." + name.toLowerCase());
    }
}
