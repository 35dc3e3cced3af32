package org.acme.fargate.storefront;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The storefront API the page calls, through the sidecar. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class StorefrontResource {

    private final PricingGateway pricing;

    StorefrontResource(PricingGateway pricing) {
        this.pricing = pricing;
    }

    @GET
    @Path("products")
    public List<Product> products() {
        return pricing.products();
    }

    @GET
    @Path("products/{sku}")
    public Product product(@PathParam("sku") String sku) {
        return pricing.product(sku);
    }

    @POST
    @Path("quotes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Quote quote(@NotNull(message = "send a basket: {\"items\":[{\"sku\":\"...\",\"quantity\":1}]}")
            QuoteRequest request) {
        return pricing.quote(request);
    }
}
