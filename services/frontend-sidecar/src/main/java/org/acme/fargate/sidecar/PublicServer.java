package org.acme.fargate.sidecar;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The sidecar's public port: a Vert.x HTTP server of its own, in place of Quarkus's (application.properties turns
 * that off with {@code quarkus.http.host-enabled=false}), configured by the same {@code quarkus.http.*} keys.
 *
 * <p>Owning the server gives what Quarkus's does not let an application reach (docs/sidecar-proxy.md): each
 * connection's pipeline, where {@link ConnectionGuard} puts a deadline on request heads and answers what the codec
 * refuses as a problem; the connection cap; and the request handler itself, where {@link SidecarRoutes} sends
 * {@code /api/*} past Quarkus's router and its extensions' routes.
 *
 * <p>At shutdown Quarkus first waits out {@code quarkus.shutdown.delay} (readiness DOWN, every request still
 * served); then this server stops taking requests, waits at most {@code quarkus.shutdown.timeout} for those in
 * flight, and closes. A connection closes as soon as its last answer is out, so a client that left mid-request
 * holds nothing up.
 */
@ApplicationScoped
public class PublicServer {

    private static final Logger LOG = Logger.getLogger(PublicServer.class);

    private final Vertx vertx;
    private final PublicPortSettings settings;
    private final SidecarRoutes routes;
    private final OpenConnections connections;
    private final Event<HttpServerStart> listening;
    private HttpServer server;

    PublicServer(Vertx vertx, PublicPortSettings settings, SidecarConfig sidecar, SidecarRoutes routes,
            Event<HttpServerStart> listening) {
        this.vertx = vertx;
        this.settings = settings;
        this.routes = routes;
        this.listening = listening;
        this.connections = new OpenConnections(settings.maxConnections(), sidecar.headTimeout());
    }

    void start(@Observes StartupEvent started) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setIdleTimeout((int) settings.idleTimeout().toSeconds())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxInitialLineLength(settings.maxInitialLineLength())
                // HTTP/1.1 only, as the ALB speaks to its targets: HTTP/2 in clear text (h2c, by upgrade or by prior
                // knowledge) would only be a way to smuggle streams past it.
                .setHttp2ClearTextEnabled(false)
                .setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
        server = vertx.createHttpServer(options)
                .connectionHandler(connections::accept)
                .requestHandler(routes::dispatch);
        server.listen().toCompletionStage().toCompletableFuture().join();
        LOG.infof("Public port listening on %s:%d", options.getHost(), server.actualPort());
        // The event Quarkus fires when its own HTTP server listens, for whatever waits on that (the warm-up).
        listening.fireAsync(new HttpServerStart(new HttpServerOptions(options).setPort(server.actualPort())));
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (server == null) {
            return;
        }
        connections.drain();
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (connections.requestsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (connections.requestsInFlight() > 0) {
            LOG.warnf("Closing the public port with %d requests still in flight", connections.requestsInFlight());
        }
        server.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Open connections now; for tests of the cap. */
    int openConnections() {
        return connections.open();
    }
}
