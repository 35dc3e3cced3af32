package org.acme.fargate.warmup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;

/** The warm-up of the service under test, read from its readiness endpoint as ECS and the load balancer read it. */
final class WarmUpProbe {

    private WarmUpProbe() {
    }

    /** Asserts that the service is not ready because it is warming up; waits (30 s at most) until it is; its readiness then. */
    static JsonPath assertWarmingThenReady() throws InterruptedException {
        JsonPath warming = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertEquals("DOWN", check(warming, "status"), warming.prettify());
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonPath ready = given().get("/q/health/ready").jsonPath();
        while (!"UP".equals(ready.getString("status")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            ready = given().get("/q/health/ready").jsonPath();
        }
        assertEquals("UP", ready.getString("status"), "ready once the warm-up is over: " + ready.prettify());
        return ready;
    }

    /** A field of the warm-up check: status, data.requests, data.failed. */
    static String check(JsonPath health, String field) {
        return health.getString("checks.find { it.name == 'warm-up' }." + field);
    }
}
