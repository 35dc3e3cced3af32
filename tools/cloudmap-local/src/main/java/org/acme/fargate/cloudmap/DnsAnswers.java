package org.acme.fargate.cloudmap;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries for the private namespaces as Route 53 answers them for Cloud Map, following each service's
 * {@code DnsConfig}: one record per instance for each of its record types (A, AAAA, SRV, CNAME), each with its
 * own TTL, chosen by its routing policy.
 *
 * <ul>
 *   <li>SRV: {@code 1 1 <port> <instance-id>.<service>.<namespace>}, priority and weight fixed at 1 as Cloud Map
 *       writes them; the target's A/AAAA records come along in the additional section.</li>
 *   <li>MULTIVALUE: up to 8 healthy records, in random order; when none is healthy, up to 8 unhealthy ones
 *       (Route 53 answers with unhealthy records rather than nothing).</li>
 *   <li>WEIGHTED (equal weights, as ECS registers): one random healthy record per query; when none is healthy,
 *       Route 53 treats them all as healthy.</li>
 *   <li>A name with no record (a service with no instance, an unknown name): NXDOMAIN. A name that has records,
 *       but none of the type asked: NODATA (NOERROR, empty answer). Both carry the zone's SOA, whose TTL is the
 *       namespace's SOA TTL and bounds negative caching. A name outside every namespace: REFUSED. Garbage:
 *       FORMERR. A packet that is itself a response gets no reply, so two servers cannot echo each other.</li>
 * </ul>
 * dnsjava parses and writes the wire format; only the answering rules are written here.
 */
@ApplicationScoped
public class DnsAnswers {

    static final int MULTIVALUE_LIMIT = 8;
    /** The SOA minimum Route 53 writes; resolvers cache negative answers for the lower of it and the SOA's TTL. */
    static final long SOA_MINIMUM = 86400;
    private static final int CLASSIC_UDP_SIZE = 512;

    private final Registry registry;

    DnsAnswers(Registry registry) {
        this.registry = registry;
    }

    /** The wire-format answer to a wire-format query, or empty when the packet deserves no reply at all. */
    public Optional<byte[]> answer(byte[] query) {
        if (query.length >= 3 && (query[2] & 0x80) != 0) {
            return Optional.empty(); // QR set: a response, never answered
        }
        Message request;
        try {
            request = new Message(query);
        } catch (IOException e) {
            return formatError(query);
        }
        Header header = request.getHeader();
        Record question = request.getQuestion();
        Message response = new Message(header.getID());
        response.getHeader().setFlag(Flags.QR);
        if (header.getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (header.getOpcode() != Opcode.QUERY || question == null || header.getCount(Section.QUESTION) != 1) {
            response.getHeader().setRcode(header.getOpcode() != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR);
            return Optional.of(response.toWire());
        }
        response.addRecord(question, Section.QUESTION);
        answer(question, response);
        OPTRecord opt = request.getOPT();
        int limit = opt == null ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, opt.getPayloadSize());
        return Optional.of(response.toWire(limit));
    }

    private void answer(Record question, Message response) {
        Name name = question.getName();
        String asked = name.toString(true);
        Optional<Namespace> zone = registry.zoneOf(asked);
        if (zone.isEmpty() || question.getDClass() != DClass.IN) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        response.getHeader().setFlag(Flags.AA);
        int type = question.getType();
        if (asked.equalsIgnoreCase(zone.get().name())) {
            if (type == Type.SOA || type == Type.ANY) {
                response.addRecord(soa(zone.get()), Section.ANSWER);
            } else {
                response.addRecord(soa(zone.get()), Section.AUTHORITY);
            }
            return;
        }
        Optional<RegisteredService> service = registry.serviceByDnsName(asked);
        List<Record> records = service.map(found -> asked.equalsIgnoreCase(found.dnsName())
                ? serviceRecords(found, name) : srvTargetRecords(found, name, asked)).orElse(List.of());
        if (records.isEmpty()) {
            nameError(response, zone.get());
            return;
        }
        boolean srvAnswered = false;
        for (Record record : records) {
            if (record.getName().equals(name)
                    && (type == Type.ANY || record.getType() == type || record.getType() == Type.CNAME)) {
                response.addRecord(record, Section.ANSWER);
                srvAnswered |= record.getType() == Type.SRV;
            }
        }
        if (srvAnswered) {
            records.stream().filter(record -> !record.getName().equals(name))
                    .forEach(record -> response.addRecord(record, Section.ADDITIONAL));
        }
        if (response.getSectionArray(Section.ANSWER).length == 0) {
            response.addRecord(soa(zone.get()), Section.AUTHORITY); // NODATA
        }
    }

    /** Every record the service's name has now: for the chosen instances, one per record type of its DnsConfig. */
    private static List<Record> serviceRecords(RegisteredService service, Name name) {
        List<Record> records = new ArrayList<>();
        for (Instance instance : choose(service)) {
            for (DnsRecord config : service.dnsRecords()) {
                switch (config.type()) {
                    case A -> instance.ipv4().ifPresent(ip -> records.add(a(name, config.ttl(), ip)));
                    case AAAA -> instance.ipv6().ifPresent(ip -> records.add(aaaa(name, config.ttl(), ip)));
                    case CNAME -> instance.cname().ifPresent(target ->
                            records.add(new CNAMERecord(name, DClass.IN, config.ttl(), absolute(target))));
                    case SRV -> {
                        Name target = absolute(instance.id() + "." + service.dnsName());
                        records.add(new SRVRecord(name, DClass.IN, config.ttl(), 1, 1, instance.port(), target));
                        records.addAll(addresses(target, config.ttl(), instance));
                    }
                }
            }
        }
        return records;
    }

    /** {@code <instance-id>.<service>.<namespace>}: the A/AAAA records Cloud Map creates for an SRV target. */
    private static List<Record> srvTargetRecords(RegisteredService service, Name name, String asked) {
        var srvTtl = service.ttl(DnsRecord.Type.SRV);
        if (srvTtl.isEmpty()) {
            return List.of();
        }
        String instanceId = asked.substring(0, asked.length() - service.dnsName().length() - 1);
        return service.instances().stream().filter(candidate -> candidate.id().equalsIgnoreCase(instanceId)).findFirst()
                .map(instance -> addresses(name, srvTtl.getAsLong(), instance)).orElse(List.of());
    }

    private static List<Record> addresses(Name name, long ttl, Instance instance) {
        List<Record> records = new ArrayList<>();
        instance.ipv4().ifPresent(ip -> records.add(a(name, ttl, ip)));
        instance.ipv6().ifPresent(ip -> records.add(aaaa(name, ttl, ip)));
        return records;
    }

    private static List<Instance> choose(RegisteredService service) {
        List<Instance> all = service.instances();
        List<Instance> healthy = all.stream().filter(Instance::healthy).toList();
        List<Instance> pool = new ArrayList<>(healthy.isEmpty() ? all : healthy);
        Collections.shuffle(pool, ThreadLocalRandom.current());
        return switch (service.routingPolicy()) {
            case MULTIVALUE -> pool.subList(0, Math.min(MULTIVALUE_LIMIT, pool.size()));
            case WEIGHTED -> pool.isEmpty() ? pool : pool.subList(0, 1);
        };
    }

    private static ARecord a(Name name, long ttl, String ip) {
        try {
            return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Registered with an invalid IPv4 address: " + ip, e);
        }
    }

    private static AAAARecord aaaa(Name name, long ttl, String ip) {
        try {
            return new AAAARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Registered with an invalid IPv6 address: " + ip, e);
        }
    }

    private static void nameError(Message response, Namespace zone) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa(zone), Section.AUTHORITY);
    }

    /** The SOA of the namespace's hosted zone, with the namespace's SOA TTL. */
    private static SOARecord soa(Namespace zone) {
        return new SOARecord(absolute(zone.name()), DClass.IN, zone.soaTtl(), absolute("ns-0.awsdns-00.com"),
                absolute("awsdns-hostmaster.amazon.com"), 1, 7200, 900, 1209600, SOA_MINIMUM);
    }

    private static Name absolute(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("Not a DNS name: " + text, e);
        }
    }

    private static Optional<byte[]> formatError(byte[] query) {
        if (query.length < 2) {
            return Optional.empty();
        }
        Message response = new Message(((query[0] & 0xff) << 8) | (query[1] & 0xff));
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setRcode(Rcode.FORMERR);
        return Optional.of(response.toWire());
    }
}
