package org.acme.fargate.storefront;

import java.util.List;

/**
 * A basket, relayed to service-b as received. service-b owns the rules (quantities, line count,
 * duplicates) and service-a relays its 4xx answers, so the rules live in one place.
 */
public record QuoteRequest(List<Item> items) {

    public record Item(String sku, Integer quantity) {
    }
}
