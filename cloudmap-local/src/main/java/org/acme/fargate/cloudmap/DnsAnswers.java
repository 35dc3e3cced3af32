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
import org.xbill.DNS.ARecord;
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
 * Answers DNS queries for the private namespaces as Route 53 answers them for Cloud Map: SRV records
 * ({@code 1 1 <port> <instance-id>.<service>.<namespace>}) and A records of the instances, with the
 * service's TTL, chosen by its routing policy.
 *
 * <ul>
 *   <li>MULTIVALUE: up to 8 healthy records, in random order; when none is healthy, up to 8 unhealthy
 *       ones (Route 53 answers with unhealthy records rather than nothing).</li>
 *   <li>WEIGHTED (equal weights, as ECS registers): one random healthy record per query; when none is
 *       healthy, Route 53 treats them all as healthy.</li>
 *   <li>A name in a namespace that does not exist, or a service with no instance: NXDOMAIN with the
 *       zone's SOA (for negative caching). A name outside every namespace: REFUSED. Garbage: FORMERR.</li>
 * </ul>
 * dnsjava parses and writes the wire format; only the answering rules are written here.
 */
@ApplicationScoped
public class DnsAnswers {

    static final int MULTIVALUE_LIMIT = 8;
    private static final int CLASSIC_UDP_SIZE = 512;

    private final Registry registry;

    DnsAnswers(Registry registry) {
        this.registry = registry;
    }

    /** The wire-format answer to a wire-format query, or empty when the packet is too short to answer at all. */
    public Optional<byte[]> answer(byte[] query) {
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
        if (header.getFlag(Flags.QR) || header.getOpcode() != Opcode.QUERY || question == null
                || header.getCount(Section.QUESTION) != 1) {
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
        String asked = name.toString(true).toLowerCase();
        Optional<Registry.Namespace> zone = registry.namespaces().stream()
                .filter(namespace -> asked.equals(namespace.name()) || asked.endsWith("." + namespace.name()))
                .findFirst();
        if (zone.isEmpty() || question.getDClass() != DClass.IN) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        response.getHeader().setFlag(Flags.AA);
        Optional<RegisteredService> service = registry.serviceByDnsName(asked);
        if (service.isEmpty()) {
            nameError(response, zone.get());
            return;
        }
        RegisteredService found = service.get();
        if (asked.equals(found.dnsName().toLowerCase())) {
            List<Instance> chosen = choose(found);
            if (chosen.isEmpty()) {
                nameError(response, zone.get());
                return;
            }
            for (Instance instance : chosen) {
                if (question.getType() == Type.SRV || question.getType() == Type.ANY) {
                    Name target = name(instance.id() + "." + found.dnsName() + ".");
                    response.addRecord(new SRVRecord(name, DClass.IN, found.ttl(), 1, 1, instance.port(), target),
                            Section.ANSWER);
                    response.addRecord(a(target, found.ttl(), instance), Section.ADDITIONAL);
                }
                if (question.getType() == Type.A || question.getType() == Type.ANY) {
                    response.addRecord(a(name, found.ttl(), instance), Section.ANSWER);
                }
            }
            if (response.getSectionArray(Section.ANSWER).length == 0) {
                noData(response, zone.get());
            }
            return;
        }
        // <instance-id>.<service>.<namespace>: the SRV targets.
        String instanceId = asked.substring(0, asked.length() - found.dnsName().length() - 1);
        Optional<Instance> instance = found.instances().stream()
                .filter(candidate -> candidate.id().equalsIgnoreCase(instanceId)).findFirst();
        if (instance.isEmpty()) {
            nameError(response, zone.get());
        } else if (question.getType() == Type.A || question.getType() == Type.ANY) {
            response.addRecord(a(name, found.ttl(), instance.get()), Section.ANSWER);
        } else {
            noData(response, zone.get());
        }
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

    private static ARecord a(Name name, long ttl, Instance instance) {
        try {
            return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(instance.ipv4()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Registered with an invalid IPv4 address: " + instance.ipv4(), e);
        }
    }

    private static void nameError(Message response, Registry.Namespace zone) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa(zone), Section.AUTHORITY);
    }

    private static void noData(Message response, Registry.Namespace zone) {
        response.addRecord(soa(zone), Section.AUTHORITY);
    }

    /** The SOA Route 53 gives a private hosted zone: its minimum (negative-caching TTL) is 60 s there too. */
    private static SOARecord soa(Registry.Namespace zone) {
        Name origin = name(zone.name() + ".");
        return new SOARecord(origin, DClass.IN, 900, name("ns-0.awsdns-00.com."),
                name("awsdns-hostmaster.amazon.com."), 1, 7200, 900, 1209600, 60);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
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
