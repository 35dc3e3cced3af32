package org.acme.fargate.pricing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import org.acme.fargate.apikey.ApiKeyFilter;
import org.eclipse.microprofile.config.ConfigProvider;

/** A request as service-b's callers send it: with the service's API key (the test profile's). */
final class Callers {

    private Callers() {
    }

    static RequestSpecification aCaller() {
        return given().header(ApiKeyFilter.HEADER, ConfigProvider.getConfig().getValue("api-key", String.class));
    }
}
