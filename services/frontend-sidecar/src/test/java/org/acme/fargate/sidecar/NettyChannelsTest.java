package org.acme.fargate.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one framework internal the sidecar relies on ({@link NettyChannels}) still holds with the Vert.x this build
 * has: a plain Vert.x server's connection gives its Netty channel, with the HTTP codec in its pipeline where the
 * guard joins it. A Vert.x upgrade that moves the internal fails here, by name, before any request does.
 */
class NettyChannelsTest {

    @Test
    void aServerConnectionGivesItsChannelWithTheHttpHandlerInThePipeline() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Channel> channel = new CompletableFuture<>();
            HttpServer server = vertx.createHttpServer()
                    .connectionHandler(connection -> {
                        try {
                            channel.complete(NettyChannels.of(connection));
                        } catch (RuntimeException e) {
                            channel.completeExceptionally(e);
                        }
                    })
                    .requestHandler(request -> request.response().end("ok"));
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient client = vertx.createHttpClient();
            String answer = client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> request.send().compose(response -> response.body()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
            assertEquals("ok", answer);
            Channel open = channel.get(10, TimeUnit.SECONDS);
            assertTrue(open.pipeline().names().contains("handler"),
                    "ConnectionGuard joins the pipeline before Vert.x's \"handler\": " + open.pipeline().names());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
