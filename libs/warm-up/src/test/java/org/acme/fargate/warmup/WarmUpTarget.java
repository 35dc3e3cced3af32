package org.acme.fargate.warmup;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The endpoints the tests' warm-up calls (application.properties), recording what reached them. */
@ApplicationScoped
public class WarmUpTarget {

    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    void routes(@Observes Router router) {
        router.get("/catalog").handler(context -> {
            RECEIVED.add("GET /catalog");
            context.response().putHeader("Content-Type", "application/json").end("[]");
        });
        router.post("/quotes").handler(BodyHandler.create()).handler(context -> {
            RECEIVED.add("POST /quotes " + context.request().getHeader("X-Api-Key") + " " + context.body().asString());
            context.response().putHeader("Content-Type", "application/json").end("{\"totalCents\":100}");
        });
    }
}
