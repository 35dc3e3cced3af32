package org.acme.fargate.pricing;

import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import org.acme.fargate.path.Hop;
import org.acme.fargate.path.RequestTracking;
import org.acme.fargate.path.TaskIdentity;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PricingResource {

    private final Catalog catalog;
    private final QuoteCalculator calculator;
    private final TaskIdentity identity;

    PricingResource(Catalog catalog, QuoteCalculator calculator, TaskIdentity identity) {
        this.catalog = catalog;
        this.calculator = calculator;
        this.identity = identity;
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
            QuoteRequest request, @Context RoutingContext rc) {
        return calculator.price(request).servedBy(hop(rc));
    }

    /** Who served this request; service-a uses it to draw the path. */
    @GET
    @Path("whoami")
    public Hop whoami(@Context RoutingContext rc) {
        return hop(rc);
    }

    private Hop hop(RoutingContext rc) {
        return identity.hopSince(RequestTracking.arrivalNanos(rc));
    }
}
