package org.acme.fargate.pricing;

import static org.acme.fargate.pricing.Callers.aCaller;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class PricingResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void listsTheWholeCatalogInCents() {
        aCaller().get("/products").then().statusCode(200)
                .body("size()", greaterThanOrEqualTo(12))
                .body("sku", hasItem("TEA-001"))
                .body("unitPriceCents", everyItem(notNullValue()))
                .body("currency", everyItem(equalTo("USD")));
    }

    @Test
    void findsOneProductBySku() {
        aCaller().get("/products/COF-001").then().statusCode(200)
                .body("name", equalTo("Ethiopia Yirgacheffe")).body("unitPriceCents", equalTo(1675));
    }

    @Test
    void unknownSkuIsA404Problem() {
        problem(aCaller().get("/products/NOPE-1"), 404).body("detail", containsString("NOPE-1"));
    }

    @Test
    void pricesABasketWithTheVolumeDiscount() {
        quote("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":12},{\"sku\":\"BRW-003\",\"quantity\":1}]}")
                .then().statusCode(200)
                .body("lines[0].lineTotalCents", equalTo(17_400))
                .body("lines[0].discountPercent", equalTo(5))
                .body("lines[0].discountCents", equalTo(870))
                .body("lines[1].discountCents", equalTo(0))
                .body("subtotalCents", equalTo(21_900))
                .body("discountCents", equalTo(870))
                .body("totalCents", equalTo(21_030))
                .body("$", not(hasKey("servedBy")));
    }

    @Test
    void theSameBasketAlwaysGetsTheSameQuote() {
        String basket = "{\"items\":[{\"sku\":\"COF-002\",\"quantity\":50}]}";
        int first = quote(basket).then().statusCode(200).extract().path("totalCents");
        int second = quote(basket).then().statusCode(200).extract().path("totalCents");
        org.junit.jupiter.api.Assertions.assertEquals(first, second);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"items\":[]}",
            "{}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":0}]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1000}]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":-3}]}",
            "{\"items\":[{\"sku\":\"TEA-001\"}]}",
            "{\"items\":[{\"quantity\":1}]}",
            "{\"items\":[{\"sku\":\"tea 001; drop\",\"quantity\":1}]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1},{\"sku\":\"TEA-001\",\"quantity\":2}]}",
            "{\"items\":[null]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":\"two\"}]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1.5}]}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantitiy\":2}]}",
            "{\"items\":{\"sku\":\"TEA-001\"}}",
            "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]",
            "[1,2,3]",
            "not json at all",
            ""})
    void rejectsABadBasketWithA400Problem(String body) {
        problem(quote(body), 400).body("detail", notNullValue());
    }

    @Test
    void aFieldGivenTwiceIsRefusedRatherThanTheLastOneWinning() {
        problem(quote("{\"items\":[{\"sku\":\"TEA-001\",\"sku\":\"COF-001\",\"quantity\":1}]}"), 400)
                .body("detail", containsString("'sku' appears twice"));
    }

    @Test
    void aNumberWithTooManyDigitsIsRefusedInPlainWords() {
        problem(quote("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":" + "9".repeat(1001) + "}]}"), 400)
                .body("detail", containsString("too many digits (1000 at most)"))
                .body("detail", not(containsString("StreamReadConstraints")));
    }

    @Test
    void namesEachBrokenFieldInViolations() {
        problem(quote("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":0},{\"sku\":\"TEA-002\",\"quantity\":1000}]}"), 400)
                .body("violations.field", hasItem("items[0].quantity"))
                .body("violations.field", hasItem("items[1].quantity"));
    }

    @Test
    void rejectsMoreThanOneHundredLines() {
        String items = IntStream.range(0, 101).mapToObj(i -> "{\"sku\":\"SKU-" + i + "\",\"quantity\":1}")
                .collect(Collectors.joining(","));
        problem(quote("{\"items\":[" + items + "]}"), 400).body("detail", containsString("100"));
    }

    @Test
    void quotingAnUnknownSkuIsA404NamingIt() {
        problem(quote("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1},{\"sku\":\"ZZZ-404\",\"quantity\":1}]}"), 404)
                .body("detail", containsString("ZZZ-404")).body("detail", containsString("items[1]"));
    }

    @Test
    void rejectsABodyOver64KibWith413() {
        String padding = "x".repeat(70 * 1024);
        problem(quote("{\"items\":[{\"sku\":\"" + padding + "\",\"quantity\":1}]}"), 413)
                .body("detail", containsString("65536"));
    }

    @Test
    void rejectsAWrongContentTypeWith415() {
        problem(aCaller().contentType(ContentType.TEXT).body("TEA-001 x 2").post("/quotes"), 415);
    }

    @Test
    void rejectsAWrongMethodWith405() {
        problem(aCaller().delete("/quotes"), 405);
    }

    @Test
    void unknownPathIsA404Problem() {
        problem(aCaller().get("/no/such/thing"), 404).body("instance", equalTo("/no/such/thing"));
    }

    private static io.restassured.response.Response quote(String body) {
        return aCaller().contentType(ContentType.JSON).body(body).post("/quotes");
    }

    private static ValidatableResponse problem(io.restassured.response.Response response, int status) {
        return response.then().statusCode(status).contentType(PROBLEM)
                .body("status", equalTo(status)).body("title", notNullValue())
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
    }
}
