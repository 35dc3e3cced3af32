package org.acme.fargate.storefront;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Reads the path trace's {@code X-Path} off service-a's answers: service-a's hop first, then service-b's. */
public final class TracedRequests {

    private TracedRequests() {
    }

    /** A request that reaches service-b every time: one product (the catalog list is cached). */
    public static Response traced() {
        return given().get("/api/products/TEA-001");
    }

    public static JsonPath path(Response response) {
        return new JsonPath(response.header("X-Path"));
    }

    /** The service-b instance service-a's load balancer picked and got the answer from. */
    public static String picked(Response response) {
        return path(response).getString("[0].pickedInstance");
    }
}
