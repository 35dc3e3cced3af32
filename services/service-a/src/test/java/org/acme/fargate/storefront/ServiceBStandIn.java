package org.acme.fargate.storefront;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for one service-b instance, on a random loopback port. It answers
 * like service-b ({@code healthy}) or with 500 to every request ({@code failing}, like a task that is
 * draining or broken).
 */
public final class ServiceBStandIn implements AutoCloseable {

    /** The one key a stand-in answers: the test profile's service-b.api-key (application.properties). */
    public static final String KEY = "stand-in-key";

    private final HttpServer server;
    private final boolean healthy;
    final AtomicInteger requests = new AtomicInteger();
    private volatile String lastRequestId;

    private ServiceBStandIn(boolean healthy) {
        this.healthy = healthy;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    public static ServiceBStandIn healthy() {
        return new ServiceBStandIn(true);
    }

    static ServiceBStandIn failing() {
        return new ServiceBStandIn(false);
    }

    /** The dead addresses' ports, bound for the test JVM's life. */
    private static final List<Socket> RESERVED = new CopyOnWriteArrayList<>();

    /**
     * An address where nothing listens: connections are refused, like a task that has just died. Its port stays bound
     * (never listening) for the test JVM's life: a port only probed and freed was taken by the next server that asked
     * for any port (a stand-in), and the dead address answered.
     */
    public static String deadAddress() {
        Socket reserved = new Socket();
        try {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RESERVED.add(reserved);
        return "127.0.0.1:" + reserved.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        lastRequestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        String path = exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        if (!KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
            // As service-b's api-key filter: the key of the test profile (service-b.api-key), or a 401.
            send(exchange, 401, "application/problem+json", "{\"status\":401,\"title\":\"Unauthorized\"}");
        } else if (!healthy) {
            send(exchange, 500, "application/problem+json", "{\"status\":500,\"title\":\"Internal Server Error\"}");
        } else if (path.equals("/products")) {
            send(exchange, 200, "application/json", "[" + product("TEA-001") + "," + product("COF-001") + "]");
        } else if (path.equals("/products/TEA-001")) {
            send(exchange, 200, "application/json", product("TEA-001"));
        } else if (path.startsWith("/products/")) {
            send(exchange, 404, "application/problem+json",
                    "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"No product with SKU '"
                            + path.substring(10) + "'\"}");
        } else if (path.equals("/quotes")) {
            send(exchange, 200, "application/json", "{\"currency\":\"USD\",\"lines\":[{\"sku\":\"TEA-001\","
                    + "\"name\":\"Tea\",\"quantity\":2,\"unitPriceCents\":100,\"lineTotalCents\":200,"
                    + "\"discountPercent\":0,\"discountCents\":0}],\"subtotalCents\":200,\"discountCents\":0,"
                    + "\"totalCents\":200}");
        } else {
            send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\"}");
        }
    }

    /** The request id the last request carried. */
    String lastRequestId() {
        return lastRequestId;
    }

    /** What service-b's path trace answers: its own hop. */
    private String path() {
        return "[{\"container\":\"service-b\",\"taskId\":\"b-" + server.getAddress().getPort()
                + "\",\"availabilityZone\":\"zone-x\",\"privateIp\":\"127.0.0.1\",\"port\":"
                + server.getAddress().getPort() + ",\"elapsedMs\":0.1}]";
    }

    private static String product(String sku) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"n\",\"description\":\"d\",\"unitPriceCents\":100,\"currency\":\"USD\"}";
    }

    private void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Path", path());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
