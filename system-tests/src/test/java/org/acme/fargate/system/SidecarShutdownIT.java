package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At SIGTERM the sidecar's readiness goes DOWN while it still serves, for its shutdown delay (a load balancer
 * that still sends to it sees it and stops); then it stops at once when nothing is in flight, even after a burst
 * of clients that left mid-request (their requests must count as finished), and finishes a request that is in
 * flight before it exits.
 */
class SidecarShutdownIT {

    @Test
    void atSigtermReadinessIsDownWhileRequestsAreStillServed() throws Exception {
        try (SidecarProcess sidecar = SidecarProcess.start("sidecar-draining")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            sidecar.process.destroy();
            Thread.sleep(300);
            HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create(sidecar.baseUrl() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, readiness.statusCode(), "readiness during the shutdown delay: " + readiness.body());
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(sidecar.baseUrl() + "/api/products")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, api.statusCode(), "a request during the shutdown delay is still served: " + api.body());
            assertTrue(sidecar.process.isAlive(), "the sidecar waits out its shutdown delay");
        }
    }

    @Test
    void afterClientsLeftMidRequestSigtermEndsTheSidecarRightAfterItsShutdownDelay() throws Exception {
        try (SidecarProcess sidecar = SidecarProcess.start("sidecar-shutdown")) {
            // 64 clients that each send a request the backend answers in 2 s, and leave at once or after 100 ms.
            for (int i = 0; i < 64; i++) {
                try (Socket client = new Socket("127.0.0.1", sidecar.port)) {
                    OutputStream out = client.getOutputStream();
                    out.write("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread.sleep(i % 8 == 0 ? 100 : 1);
                }
            }
            Thread.sleep(2_500); // every backend answer has come and gone
            long millis = sidecar.terminate() - SidecarProcess.SHUTDOWN_DELAY.toMillis();
            assertTrue(millis < 1_000, "the sidecar took " + millis + " ms beyond its shutdown delay to stop with nothing in flight");
        }
    }

    @Test
    void aRequestInFlightAtSigtermIsAnswered() throws Exception {
        try (SidecarProcess sidecar = SidecarProcess.start("sidecar-in-flight")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var answer = http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.baseUrl() + "/api/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500);
            sidecar.process.destroy();
            assertEquals(200, answer.get(10, TimeUnit.SECONDS).statusCode());
            assertTrue(sidecar.process.waitFor(10, TimeUnit.SECONDS), "the sidecar exited after answering");
        }
    }
}
