package org.acme.fargate.cloudmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** cloudmap-local's DNS over real UDP, checked against what Route 53 answers for a Cloud Map namespace. */
@QuarkusTest
class DnsAnswersTest {

    @Inject
    DnsServer server;

    @Inject
    Registry registry;

    @AfterEach
    void cleanUp() {
        CloudMapApiTest.resetTo(registry);
    }

    private void register(int count, boolean healthy) {
        RegisteredService service = registry.serviceById(CloudMapApiTest.SERVICE_ID);
        for (int i = 1; i <= count; i++) {
            service.register(new Instance("task-" + i, null,
                    CloudMapApiTest.ecsAttributes("10.0.0." + i, 8080 + i, "zone", "HEALTHY"), healthy));
        }
    }

    private Message query(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(server.port());
        resolver.setTimeout(Duration.ofSeconds(2));
        resolver.setEDNS(0, 4096, 0, List.of());
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    @Test
    void srvRecordsNameEachInstanceWithItsPortAndTheServiceTtl() throws Exception {
        register(2, true);
        Message answer = query("service-b.shop.internal.", Type.SRV);
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertTrue(answer.getHeader().getFlag(Flags.AA));
        List<SRVRecord> records = answer.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast).toList();
        assertEquals(2, records.size());
        for (SRVRecord record : records) {
            assertEquals(10, record.getTTL());
            assertEquals(1, record.getPriority());
            assertEquals(1, record.getWeight());
            String id = record.getTarget().getLabelString(0);
            assertEquals(8080 + Integer.parseInt(id.substring(5)), record.getPort());
            assertEquals(Name.fromString(id + ".service-b.shop.internal."), record.getTarget());
        }
        assertEquals(2, answer.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.A).count(),
                "the targets' A records come along");
    }

    @Test
    void aRecordsListTheHealthyInstancesAndEachTargetResolves() throws Exception {
        register(2, true);
        registry.serviceById(CloudMapApiTest.SERVICE_ID).setHealth("task-2", false);
        Message answer = query("service-b.shop.internal.", Type.A);
        assertEquals(List.of("10.0.0.1"), answer.getSection(Section.ANSWER).stream()
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList());
        Message target = query("task-2.service-b.shop.internal.", Type.A);
        assertEquals("10.0.0.2", ((ARecord) target.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    }

    @Test
    void multivalueAnswersAtMostEightRecords() throws Exception {
        register(10, true);
        assertEquals(8, query("service-b.shop.internal.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void multivalueWithNoHealthyInstanceAnswersTheUnhealthyOnes() throws Exception {
        register(3, false);
        assertEquals(3, query("service-b.shop.internal.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void weightedAnswersOneRandomHealthyRecordPerQuery() throws Exception {
        Namespace namespace = registry.namespaceById("ns-shopinternal00001");
        RegisteredService weighted = registry.createService(new RegisteredService(new RegisteredService.Definition(
                "srv-weighted00000001", "weighted", namespace, null, CloudMapConfig.RoutingPolicy.WEIGHTED, true,
                Instant.now()), null, List.of(new DnsRecord(DnsRecord.Type.A, 10))), Map.of());
        for (int i = 1; i <= 3; i++) {
            weighted.register(new Instance("task-" + i, null, CloudMapApiTest.ecsAttributes("10.0.0." + i, 8080, "zone", "HEALTHY"), true));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            Message answer = query("weighted.shop.internal.", Type.A);
            assertEquals(1, answer.getSection(Section.ANSWER).size());
            seen.add(((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        }
        assertEquals(3, seen.size(), "over many queries every instance comes up: " + seen);
        weighted.instances().forEach(instance -> weighted.setHealth(instance.id(), false));
        assertEquals(1, query("weighted.shop.internal.", Type.A).getSection(Section.ANSWER).size(),
                "none healthy: Route 53 treats them all as healthy");
    }

    @Test
    void unknownNamesAreNxdomainWithTheSoaAndForeignNamesAreRefused() throws Exception {
        register(1, true);
        Message unknown = query("service-z.shop.internal.", Type.A);
        assertEquals(Rcode.NXDOMAIN, unknown.getRcode());
        assertEquals(Type.SOA, unknown.getSection(Section.AUTHORITY).get(0).getType());
        assertEquals(Rcode.NXDOMAIN, query("task-99.service-b.shop.internal.", Type.A).getRcode());
        assertEquals(Rcode.REFUSED, query("example.com.", Type.A).getRcode());
    }

    @Test
    void aServiceWithNoInstanceIsNxdomain() throws Exception {
        assertEquals(Rcode.NXDOMAIN, query("service-b.shop.internal.", Type.SRV).getRcode());
    }

    @Test
    void garbagePacketsGetFormerrAndTheServerKeepsAnswering() throws Exception {
        register(1, true);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2_000);
            byte[][] garbage = {"hello, is this DNS?".getBytes(), new byte[] {0x12, 0x34, (byte) 0xff}, new byte[512]};
            for (byte[] packet : garbage) {
                socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), server.port()));
            }
            byte[] buffer = new byte[512];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            Message formerr = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertTrue(formerr.getRcode() == Rcode.FORMERR || formerr.getRcode() == Rcode.NOTIMP, formerr.toString());
            socket.send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), server.port()));
        }
        assertEquals(1, query("service-b.shop.internal.", Type.SRV).getSection(Section.ANSWER).size());
    }

    private RegisteredService createService(String name, CloudMapConfig.RoutingPolicy policy, DnsRecord... records) {
        Namespace namespace = registry.namespaceById("ns-shopinternal00001");
        return registry.createService(new RegisteredService(new RegisteredService.Definition("srv-" + name, name,
                namespace, null, policy, false, Instant.now()), null, List.of(records)), Map.of());
    }

    @Test
    void updateServiceChangesTheTtlOfTheNextAnswer() throws Exception {
        register(1, true);
        RegisteredService service = registry.serviceById(CloudMapApiTest.SERVICE_ID);
        service.update(null, List.of(new DnsRecord(DnsRecord.Type.SRV, 42), new DnsRecord(DnsRecord.Type.A, 7)));
        assertEquals(42, query("service-b.shop.internal.", Type.SRV).getSection(Section.ANSWER).get(0).getTTL());
        assertEquals(7, query("service-b.shop.internal.", Type.A).getSection(Section.ANSWER).get(0).getTTL());
    }

    @Test
    void aNameWithRecordsButNoneOfTheTypeAskedIsNodataWithTheSoa() throws Exception {
        register(1, true);
        Message answer = query("service-b.shop.internal.", Type.AAAA);
        assertEquals(Rcode.NOERROR, answer.getRcode(), "NODATA, not NXDOMAIN: the name exists");
        assertTrue(answer.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, answer.getSection(Section.AUTHORITY).get(0).getType());
        assertEquals(Rcode.NOERROR, query("task-1.service-b.shop.internal.", Type.TXT).getRcode());
    }

    @Test
    void negativeAnswersCarryTheNamespacesSoaTtl() throws Exception {
        Message unknown = query("service-z.shop.internal.", Type.A);
        SOARecord soa = (SOARecord) unknown.getSection(Section.AUTHORITY).get(0);
        assertEquals(Namespace.DEFAULT_SOA_TTL, soa.getTTL(), "resolvers cache NXDOMAIN for min(TTL, minimum)");
        registry.createNamespace(new Namespace("ns-lab", "lab.internal", null, null, "vpc", 30, Instant.now()), Map.of());
        assertEquals(30, query("anything.lab.internal.", Type.A).getSection(Section.AUTHORITY).get(0).getTTL());
        Message apex = query("shop.internal.", Type.SOA);
        assertEquals(Type.SOA, apex.getSection(Section.ANSWER).get(0).getType());
    }

    @Test
    void aaaaAndCnameRecordsComeFromTheirAttributes() throws Exception {
        RegisteredService dualStack = createService("dual", CloudMapConfig.RoutingPolicy.MULTIVALUE,
                new DnsRecord(DnsRecord.Type.A, 20), new DnsRecord(DnsRecord.Type.AAAA, 30));
        dualStack.register(new Instance("t", null, Map.of(Instance.IPV4, "10.0.0.1", Instance.IPV6, "2001:db8::1"), true));
        Message aaaa = query("dual.shop.internal.", Type.AAAA);
        assertEquals("2001:db8:0:0:0:0:0:1", ((AAAARecord) aaaa.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        assertEquals(30, aaaa.getSection(Section.ANSWER).get(0).getTTL());
        assertEquals(20, query("dual.shop.internal.", Type.A).getSection(Section.ANSWER).get(0).getTTL());

        RegisteredService alias = createService("alias", CloudMapConfig.RoutingPolicy.WEIGHTED,
                new DnsRecord(DnsRecord.Type.CNAME, 60));
        alias.register(new Instance("t", null, Map.of(Instance.CNAME, "pricing.example.com"), true));
        Record cname = query("alias.shop.internal.", Type.A).getSection(Section.ANSWER).get(0);
        assertEquals(Type.CNAME, cname.getType());
        assertEquals(Name.fromString("pricing.example.com."), ((CNAMERecord) cname).getTarget());
    }

    @Test
    void anInstanceWithoutCustomHealthIsAnsweredWhateverItsInitialStatus() throws Exception {
        RegisteredService plain = createService("plain", CloudMapConfig.RoutingPolicy.MULTIVALUE,
                new DnsRecord(DnsRecord.Type.A, 10));
        plain.register(new Instance("t", null, CloudMapApiTest.ecsAttributes("10.0.0.7", 8080, "z", "UNHEALTHY"), false));
        assertEquals(1, query("plain.shop.internal.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void aPacketThatIsAResponseGetsNoReply() throws Exception {
        register(1, true);
        Message response = Message.newQuery(Record.newRecord(Name.fromString("service-b.shop.internal."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1_000);
            byte[] wire = response.toWire();
            socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), server.port()));
            assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[512], 512)),
                    "two servers must not answer each other's answers");
        }
        assertEquals(1, query("service-b.shop.internal.", Type.A).getSection(Section.ANSWER).size());
    }
}
