package org.acme.fargate.pricing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The product catalog, loaded once from the bundled {@code catalog.json}; read-only afterwards. */
@ApplicationScoped
public class Catalog {

    private final Map<String, Product> productsBySku = new LinkedHashMap<>();

    Catalog(ObjectMapper json) {
        try (InputStream in = Catalog.class.getResourceAsStream("/catalog.json")) {
            List<Product> products = json.readValue(in, new TypeReference<List<Product>>() {
            });
            products.forEach(product -> productsBySku.put(product.sku(), product));
        } catch (IOException e) {
            throw new UncheckedIOException("The bundled catalog.json cannot be read", e);
        }
    }

    public Collection<Product> all() {
        return productsBySku.values();
    }

    public Optional<Product> find(String sku) {
        return Optional.ofNullable(productsBySku.get(sku));
    }
}
