package org.acme.fargate.balancing;

import static org.acme.fargate.storefront.TracedRequests.picked;
import static org.acme.fargate.storefront.TracedRequests.traced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.stork.Stork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.acme.fargate.storefront.ServiceBStandIn;
import org.junit.jupiter.api.Test;

/**
 * One healthy service-b instance, two that accept connections and close them without answering (a task
 * that died mid-request) and one that refuses connections (a task gone): each bad one is tried once,
 * then left out, and no request fails.
 */
@QuarkusTest
@QuarkusTestResource(value = EjectingRoundRobinTest.OneHealthyThreeGone.class, restrictToAnnotatedClass = true)
class EjectingRoundRobinTest {

    /** service-b's balancer, as Stork made it from application.properties. */
    static EjectingRoundRobinLoadBalancer serviceB() {
        return (EjectingRoundRobinLoadBalancer) Stork.getInstance().getService("service-b").getLoadBalancer();
    }

    public static class OneHealthyThreeGone implements QuarkusTestResourceLifecycleManager {
        static ServiceBStandIn healthy;
        static SilentInstance silent1;
        static SilentInstance silent2;
        static String refusing;

        @Override
        public Map<String, String> start() {
            healthy = ServiceBStandIn.healthy();
            silent1 = new SilentInstance();
            silent2 = new SilentInstance();
            refusing = ServiceBStandIn.deadAddress();
            return Map.of("quarkus.stork.service-b.service-discovery.address-list",
                    String.join(",", healthy.address(), silent1.address(), silent2.address(), refusing),
                    // Longer than this test, so that "tried once" cannot depend on the machine's speed.
                    "quarkus.stork.service-b.load-balancer.ejection-time", "5M");
        }

        @Override
        public void stop() {
            healthy.close();
            silent1.close();
            silent2.close();
        }
    }

    @Test
    void anInstanceThatDoesNotAnswerIsTriedOnceThenLeftOut() {
        Map<String, Integer> picked = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            Response traced = traced();
            assertEquals(200, traced.statusCode());
            String instance = picked(traced);
            picked.merge(instance, 1, Integer::sum);
        }
        assertEquals(Map.of(OneHealthyThreeGone.healthy.address(), 60), picked);
        // Plain round-robin would have sent about 40 attempts to each silent instance.
        assertEquals(1, OneHealthyThreeGone.silent1.connections(), "attempts on " + OneHealthyThreeGone.silent1.address());
        assertEquals(1, OneHealthyThreeGone.silent2.connections(), "attempts on " + OneHealthyThreeGone.silent2.address());
        // A refused connection cannot be counted from the other end: the ejection itself is checked.
        assertTrue(serviceB().isEjected(OneHealthyThreeGone.refusing), OneHealthyThreeGone.refusing + " is left out");
        assertFalse(serviceB().isEjected(OneHealthyThreeGone.healthy.address()));
    }

    @Test
    void anInstanceThatLeavesDiscoveryAndComesBackIsNoLongerEjected() {
        Ejections ejections = new Ejections(Duration.ofMinutes(5));
        String returning = "127.0.0.1:9";
        ejections.eject(returning);
        ejections.forgetAllBut(Set.of(OneHealthyThreeGone.healthy.address()));
        assertFalse(ejections.isEjected(returning));
    }

    /** Accepts TCP connections and closes each at once, before any HTTP answer. */
    static final class SilentInstance {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();

        SilentInstance() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-instance");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
