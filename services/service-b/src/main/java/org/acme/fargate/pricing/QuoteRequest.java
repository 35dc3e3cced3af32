package org.acme.fargate.pricing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Objects;

/** A basket to price: {@code {"items":[{"sku":"...","quantity":2}]}}. */
public record QuoteRequest(
        @NotEmpty(message = "the basket is empty; add at least one item")
        @Size(max = QuoteRequest.MAX_LINES, message = "at most {max} lines per quote")
        List<@NotNull(message = "an item may not be null") @Valid Item> items) {

    public static final int MAX_LINES = 100;

    public record Item(
            @NotNull(message = "is required")
            @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{1,31}", message = "must be a catalog SKU such as TEA-001")
            String sku,
            @NotNull(message = "is required")
            @Min(value = 1, message = "must be between 1 and 999")
            @Max(value = 999, message = "must be between 1 and 999")
            Integer quantity) {
    }

    /** One line per SKU: a repeated SKU is almost always a client bug (merge quantities instead). */
    @JsonIgnore
    @AssertTrue(message = "each SKU may appear only once; merge the quantities into one line")
    public boolean isSkusUnique() {
        if (items == null) {
            return true;
        }
        List<String> skus = items.stream().filter(Objects::nonNull).map(Item::sku).filter(Objects::nonNull).toList();
        return skus.stream().distinct().count() == skus.size();
    }
}
