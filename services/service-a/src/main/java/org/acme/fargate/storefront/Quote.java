package org.acme.fargate.storefront;

import java.util.List;

/** A priced basket as service-b returns it. */
public record Quote(String currency, List<Line> lines, long subtotalCents, long discountCents, long totalCents) {

    public record Line(String sku, String name, int quantity, long unitPriceCents, long lineTotalCents,
            int discountPercent, long discountCents) {
    }
}
