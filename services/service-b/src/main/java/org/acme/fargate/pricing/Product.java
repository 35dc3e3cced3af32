package org.acme.fargate.pricing;

/** A catalog entry. Prices are integer cents, so no rounding ever happens on a stored price. */
public record Product(String sku, String name, String description, long unitPriceCents, String currency) {
}
