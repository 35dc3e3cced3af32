package org.acme.fargate.bench;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A JSON endpoint and the actuator's readiness: the smallest service comparable to service-b. */
@SpringBootApplication
@RestController
public class BaselineApplication {

    record Product(String sku, String name, long priceCents) { }

    @GetMapping("/api/products")
    List<Product> products() {
        return List.of(new Product("TEA-001", "Sencha", 1200), new Product("COF-001", "Espresso beans", 1800));
    }

    public static void main(String[] args) {
        SpringApplication.run(BaselineApplication.class, args);
    }
}
