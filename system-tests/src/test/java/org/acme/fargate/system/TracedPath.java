package org.acme.fargate.system;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The path trace as a client sees it: every answer through the sidecar carries {@code X-Path}, the hops that
 * served it (frontend-sidecar, service-a, service-b), beside the answer.
 */
final class TracedPath {

    /** A request that reaches service-b every time: one product (service-a caches only the catalog list). */
    static final String TRACED_REQUEST = "/api/products/TEA-001";

    private TracedPath() {
    }

    /** The hops of a traced request to the page's address; fails unless the answer is a 200. */
    static JsonPath of(String baseUri) {
        Response response = given().baseUri(baseUri).get(TRACED_REQUEST);
        response.then().statusCode(200);
        return of(response);
    }

    static JsonPath of(Response response) {
        return new JsonPath(response.header("X-Path"));
    }
}
