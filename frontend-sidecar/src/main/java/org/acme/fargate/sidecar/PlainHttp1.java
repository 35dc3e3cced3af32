package org.acme.fargate.sidecar;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The public port speaks HTTP/1.1 only. The ALB talks HTTP/1.1 to its targets; HTTP/2 in clear text (h2c,
 * by upgrade or by prior knowledge) would only be a way to smuggle streams past it, and Quarkus enables it
 * by default.
 */
@ApplicationScoped
public class PlainHttp1 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
        options.setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
    }
}
