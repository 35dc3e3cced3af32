package org.acme.fargate.storefront;

/**
 * A product as service-b describes it. service-a keeps its own copy of the contract rather than
 * sharing a DTO jar with service-b, so the two deploy independently.
 */
public record Product(String sku, String name, String description, long unitPriceCents, String currency) {
}
