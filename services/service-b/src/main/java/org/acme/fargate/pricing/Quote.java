package org.acme.fargate.pricing;

import java.util.List;

/** A priced basket. All amounts are integer cents in {@code currency}. */
public record Quote(String currency, List<Line> lines, long subtotalCents, long discountCents, long totalCents) {

    public record Line(String sku, String name, int quantity, long unitPriceCents, long lineTotalCents,
            int discountPercent, long discountCents) {
    }
}
