package org.acme.fargate.warmup;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Once the service's HTTP server listens, sends it its own warm-up requests for {@code warm-up.duration}, a few at a
 * time, through its port: the same filters, resources and serializers as a client's requests, so that the JIT compiles
 * the code real requests run. {@link WarmUpReadiness} keeps the service out of service meanwhile. A warm-up ends on
 * time whatever its requests answer (a failing one is logged, never retried): it must never keep a task from
 * becoming ready. Hand-written: no library found drives a Quarkus service's own endpoints before readiness.
 */
@ApplicationScoped
public class SelfWarmUp {

    private static final Logger LOG = Logger.getLogger(SelfWarmUp.class);

    private final WarmUpConfig config;
    private final Vertx vertx;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong turns = new AtomicLong();
    private volatile boolean done;

    SelfWarmUp(WarmUpConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.done = config.duration().isZero() || config.requests().isEmpty();
    }

    /** Whether the warm-up is over (or there is none). */
    public boolean done() {
        return done;
    }

    public long requestsSent() {
        return sent.get();
    }

    public long requestsFailed() {
        return failed.get();
    }

    void onHttpServerStart(@ObservesAsync HttpServerStart start) {
        if (done || !started.compareAndSet(false, true)) {
            return;
        }
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setDefaultHost(loopbackFor(start.options().getHost()))
                .setDefaultPort(start.options().getPort() > 0 ? start.options().getPort() : actualPort())
                .setMaxPoolSize(config.concurrency()));
        List<WarmUpConfig.Request> requests = List.copyOf(config.requests().values());
        long deadline = System.nanoTime() + config.duration().toNanos();
        AtomicInteger running = new AtomicInteger(config.concurrency());
        LOG.infof("Warming up for %d s before reporting ready: %s", config.duration().toSeconds(), config.requests().keySet());
        for (int inFlight = 0; inFlight < config.concurrency(); inFlight++) {
            sendNext(client, requests, deadline, running);
        }
    }

    private void sendNext(HttpClient client, List<WarmUpConfig.Request> requests, long deadline, AtomicInteger running) {
        if (System.nanoTime() >= deadline) {
            if (running.decrementAndGet() == 0) {
                client.close();
                done = true;
                LOG.infof("Warmed up: %d requests in %d s (%d failed); ready", sent.get(), config.duration().toSeconds(), failed.get());
            }
            return;
        }
        WarmUpConfig.Request request = requests.get((int) (turns.getAndIncrement() % requests.size()));
        client.request(HttpMethod.valueOf(request.method()), request.path())
                .compose(outgoing -> {
                    request.headers().forEach(outgoing::putHeader);
                    return request.body().map(outgoing::send).orElseGet(outgoing::send);
                })
                .compose(response -> response.body().map(body -> response))
                .onComplete(answered -> {
                    sent.incrementAndGet();
                    if (answered.failed() || answered.result().statusCode() >= 400) {
                        countFailure(request, answered);
                    }
                    sendNext(client, requests, deadline, running);
                });
    }

    private void countFailure(WarmUpConfig.Request request, AsyncResult<HttpClientResponse> answered) {
        if (failed.getAndIncrement() == 0) { // once: a misconfigured request fails every time
            LOG.warnf("A warm-up request failed (%s %s: %s); the warm-up goes on and ends on time", request.method(), request.path(),
                    answered.failed() ? answered.cause().toString() : "status " + answered.result().statusCode());
        }
    }

    /** A server bound to every address is reached on the loopback; one bound to a single address, there. */
    private static String loopbackFor(String host) {
        return host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** The port Quarkus chose when it was asked for any free one (port 0, as tests do): it publishes it as a property. */
    private static int actualPort() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getValue(property, Integer.class);
    }
}
