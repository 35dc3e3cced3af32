package org.acme.fargate.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous load from a few concurrent clients, as the page's users would make it: every client sends
 * {@link TracedPath#TRACED_REQUEST} through the sidecar (or, {@link #buying}, that and a quote for a basket in
 * turn), one request after another, and every answer other than a 200 (or no answer) is a failure; each request's
 * latency is kept, and which service-b task and which web task (with its task definition) served it. Bounded in time and in count, and it stops by itself; it only targets
 * the address it is given (loopback, or a namespace the test created).
 */
final class BoundedLoad implements AutoCloseable {

    private static final Pattern SERVICE_B_TASK = Pattern.compile("\"container\":\"service-b\"[^}]*\"taskId\":\"([^\"]+)\"");
    private static final Pattern WEB_TASK = Pattern.compile(
            "\"container\":\"frontend-sidecar\"[^}]*\"taskId\":\"([^\"]+)\"[^}]*\"taskDefinition\":\"([^\"]+)\"");
    private static final String QUOTE = "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}";
    private static final int MAX_REQUESTS_PER_CLIENT = 20_000;

    private final ExecutorService clients;
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Long> latencyMillis = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
    private final Deque<String> lastServedBy = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> servedByWebTask = new ConcurrentHashMap<>();
    private final Deque<String> lastServedByWebTask = new ConcurrentLinkedDeque<>();
    private volatile boolean stopped;

    private BoundedLoad(String baseUrl, int clientCount, Duration atMost, Duration pause, boolean buying) {
        clients = Executors.newFixedThreadPool(clientCount);
        long deadline = System.nanoTime() + atMost.toNanos();
        List<HttpRequest> requests = new ArrayList<>();
        requests.add(HttpRequest.newBuilder(URI.create(baseUrl + TracedPath.TRACED_REQUEST)).timeout(Duration.ofSeconds(20)).build());
        if (buying) {
            requests.add(HttpRequest.newBuilder(URI.create(baseUrl + "/api/quotes")).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUOTE)).build());
        }
        for (int c = 0; c < clientCount; c++) {
            running.add(clients.submit(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stopped && System.nanoTime() < deadline; i++) {
                    send(http, requests.get(i % requests.size()));
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis());
                    }
                }
                return null;
            }));
        }
    }

    /** Starts the clients; they stop at {@link #close()}, after {@code atMost}, or after 20,000 requests each. */
    static BoundedLoad start(String baseUrl, int clients, Duration atMost) {
        return new BoundedLoad(baseUrl, clients, atMost, Duration.ZERO, false);
    }

    /** The same, each client waiting {@code pause} between its requests: a steady rate rather than all it can send. */
    static BoundedLoad start(String baseUrl, int clients, Duration atMost, Duration pause) {
        return new BoundedLoad(baseUrl, clients, atMost, pause, false);
    }

    /** As {@link #start(String, int, Duration)}, each client looking at a product and asking for a quote in turn. */
    static BoundedLoad buying(String baseUrl, int clients, Duration atMost) {
        return new BoundedLoad(baseUrl, clients, atMost, Duration.ZERO, true);
    }

    private void send(HttpClient http, HttpRequest request) {
        requests.incrementAndGet();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            latencyMillis.add((System.nanoTime() - start) / 1_000_000);
            if (response.statusCode() != 200) {
                failures.add(response.statusCode() + " " + response.body());
                return;
            }
            String path = response.headers().firstValue("X-Path").orElse("");
            Matcher task = SERVICE_B_TASK.matcher(path);
            count(task.find() ? task.group(1) : "?", servedBy, lastServedBy);
            Matcher web = WEB_TASK.matcher(path);
            count(web.find() ? web.group(1) + " " + web.group(2) : "?", servedByWebTask, lastServedByWebTask);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures.add(e.toString());
        }
    }

    private static void count(String task, Map<String, AtomicInteger> counts, Deque<String> last) {
        counts.computeIfAbsent(task, key -> new AtomicInteger()).incrementAndGet();
        last.addLast(task);
        while (last.size() > 50) {
            last.pollFirst();
        }
    }

    int requests() {
        return requests.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The 99th percentile of the answered requests' latencies, in milliseconds. */
    long p99Millis() {
        List<Long> sorted = new ArrayList<>(latencyMillis);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    Map<String, Integer> servedBy() {
        return snapshot(servedBy);
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> live) {
        Map<String, Integer> counts = new TreeMap<>();
        live.forEach((task, count) -> counts.put(task, count.get()));
        return counts;
    }

    /** The service-b tasks that served the last 50 successful requests. */
    List<String> lastServedBy() {
        return List.copyOf(lastServedBy);
    }

    /** The web tasks ("web-3 fnr-web:2": task and task definition) that served each count of requests. */
    Map<String, Integer> servedByWebTask() {
        return snapshot(servedByWebTask);
    }

    /** The web tasks that served the last 50 successful requests. */
    List<String> lastServedByWebTask() {
        return List.copyOf(lastServedByWebTask);
    }

    void resetCounts() {
        servedBy.clear();
        lastServedBy.clear();
    }

    /** Waits for every client to finish its current request, then returns. */
    @Override
    public void close() throws Exception {
        stopped = true;
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
    }

    @Override
    public String toString() {
        return requests() + " requests, p99 " + p99Millis() + " ms, " + failures.size() + " failed " + failures.stream().limit(5).toList()
                + ", served by " + servedBy() + " and " + servedByWebTask();
    }
}
