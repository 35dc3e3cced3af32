package org.acme.fargate.pricing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prices a basket. Pure and deterministic (same basket, same quote, on every instance), which is
 * what makes {@code POST /quotes} safe for service-a to retry on another instance.
 *
 * <p>The volume discount rule, per line: 10 to 49 units take 5% off that line, 50 units or more take
 * 10% off. The discount is rounded half-up to the cent; the total is the subtotal minus the discounts.
 */
@ApplicationScoped
public class QuoteCalculator {

    static final int SMALL_VOLUME = 10;
    static final int LARGE_VOLUME = 50;

    private final Catalog catalog;

    QuoteCalculator(Catalog catalog) {
        this.catalog = catalog;
    }

    /** @throws NotFoundException naming the first SKU that is not in the catalog */
    public Quote price(QuoteRequest request) {
        List<Quote.Line> lines = new ArrayList<>();
        String currency = null;
        for (int index = 0; index < request.items().size(); index++) {
            QuoteRequest.Item item = request.items().get(index);
            int position = index;
            Product product = catalog.find(item.sku()).orElseThrow(() -> new NotFoundException(
                    "Unknown SKU '" + item.sku() + "' at items[" + position + "]; GET /products lists the catalog."));
            currency = product.currency();
            lines.add(line(product, item.quantity()));
        }
        long subtotal = lines.stream().mapToLong(Quote.Line::lineTotalCents).sum();
        long discount = lines.stream().mapToLong(Quote.Line::discountCents).sum();
        return new Quote(currency, lines, subtotal, discount, subtotal - discount);
    }

    static int discountPercent(int quantity) {
        if (quantity >= LARGE_VOLUME) {
            return 10;
        }
        return quantity >= SMALL_VOLUME ? 5 : 0;
    }

    private static Quote.Line line(Product product, int quantity) {
        long lineTotal = product.unitPriceCents() * quantity;
        int percent = discountPercent(quantity);
        long discount = (lineTotal * percent + 50) / 100;
        return new Quote.Line(product.sku(), product.name(), quantity, product.unitPriceCents(), lineTotal, percent,
                discount);
    }
}
