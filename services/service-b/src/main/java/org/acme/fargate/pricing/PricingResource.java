package org.acme.fargate.pricing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PricingResource {

    private final Catalog catalog;
    private final QuoteCalculator calculator;
    PricingResource(Catalog catalog, QuoteCalculator calculator) {
        this.catalog = catalog;
        this.calculator = calculator;
    }

    @GET
    @Path("products")
    public Collection<Product> products() {
        return catalog.all();
    }

    @GET
    @Path("products/{sku}")
    public Product product(@PathParam("sku") String sku) {
        return catalog.find(sku).orElseThrow(() -> new NotFoundException(
                "No product with SKU '" + sku + "'; GET /products lists the catalog."));
    }

    @POST
    @Path("quotes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Quote quote(@NotNull(message = "send a basket: {\"items\":[{\"sku\":\"...\",\"quantity\":1}]}") @Valid
            QuoteRequest request) {
        return calculator.price(request);
    }
}
