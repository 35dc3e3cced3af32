package org.acme.fargate.storefront;

import java.util.List;
import org.acme.fargate.path.Hop;

/** A priced basket as service-b returns it, including the hop record of the instance that priced it. */
public record Quote(String currency, List<Line> lines, long subtotalCents, long discountCents, long totalCents,
        Hop servedBy) {

    public record Line(String sku, String name, int quantity, long unitPriceCents, long lineTotalCents,
            int discountPercent, long discountCents) {
    }
}
