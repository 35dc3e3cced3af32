package org.acme.fargate.pricing;

import java.util.List;
import org.acme.fargate.path.Hop;

/** A priced basket. All amounts are integer cents in {@code currency}. */
public record Quote(String currency, List<Line> lines, long subtotalCents, long discountCents, long totalCents,
        Hop servedBy) {

    public record Line(String sku, String name, int quantity, long unitPriceCents, long lineTotalCents,
            int discountPercent, long discountCents) {
    }

    public Quote servedBy(Hop hop) {
        return new Quote(currency, lines, subtotalCents, discountCents, totalCents, hop);
    }
}
