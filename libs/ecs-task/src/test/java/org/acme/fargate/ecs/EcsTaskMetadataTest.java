package org.acme.fargate.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EcsTaskMetadataTest {

    private final EcsTaskMetadata metadata = new EcsTaskMetadata(new ObjectMapper());

    @Test
    void readsTaskIdZoneAndIpFromTheFargateTaskDocumentOverHttp() throws IOException {
        byte[] document = fixture();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/v4/abc/task", exchange -> {
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        endpoint.start();
        try {
            String uri = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/v4/abc";
            TaskIdentity identity = metadata.fetch(uri, "service-a", 8080);
            assertEquals(new TaskIdentity("service-a", "4c1e0a9f53a74f1f8b6e6f0b9c2d7e11", "us-east-1b", "10.0.3.47",
                    8080, "web:7"), identity);
        } finally {
            endpoint.stop(0);
        }
    }

    @Test
    void anUnreachableEndpointFailsLoudly() {
        assertThrows(IllegalStateException.class, () -> metadata.fetch("http://127.0.0.1:1/v4/x", "service-b", 8080));
    }

    @Test
    void aContainerMissingFromTheDocumentStillGetsTheTaskAddress() throws IOException {
        String document = new String(fixture(), StandardCharsets.UTF_8);
        assertEquals("10.0.3.47", metadata.parse(document, "not-listed", 8000).privateIp());
    }

    private static byte[] fixture() throws IOException {
        try (InputStream in = EcsTaskMetadataTest.class.getResourceAsStream("/fargate-task-metadata.json")) {
            return in.readAllBytes();
        }
    }
}
