package org.acme.fargate.cloudmap;

/** One entry of a service's {@code DnsConfig.DnsRecords}: the record type Cloud Map writes per instance, and its TTL. */
public record DnsRecord(Type type, long ttl) {

    /** The record types Cloud Map can create (API reference, {@code DnsRecord.Type}). */
    public enum Type {
        SRV, A, AAAA, CNAME
    }
}
