package org.acme.fargate.storefront;

import io.vertx.ext.web.RoutingContext;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.acme.fargate.path.Hop;
import org.acme.fargate.path.RequestTracking;
import org.acme.fargate.path.TaskIdentity;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

/** The storefront API the page calls, through the sidecar. Every answer that involved service-b says which path it took. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class StorefrontResource {

    /** A quote and the hops that produced it: sidecar, service-a, service-b. */
    public record TracedQuote(Quote quote, List<Hop> path) {
    }

    /** The path alone, for the page's "trace a request" button and for checking load balancing. */
    public record Trace(List<Hop> path) {
    }

    private final PricingGateway pricing;
    private final TaskIdentity identity;
    private final SidecarHop sidecar;
    private final String discoveryMode;

    StorefrontResource(PricingGateway pricing, TaskIdentity identity, SidecarHop sidecar,
            @ConfigProperty(name = "service-b.discovery") String discoveryMode) {
        this.pricing = pricing;
        this.identity = identity;
        this.sidecar = sidecar;
        this.discoveryMode = discoveryMode;
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
    public TracedQuote quote(@NotNull(message = "send a basket: {\"items\":[{\"sku\":\"...\",\"quantity\":1}]}")
            QuoteRequest request, RoutingContext rc) {
        RestResponse<Quote> priced = pricing.quote(request);
        Quote quote = priced.getEntity();
        return new TracedQuote(quote, path(rc, priced, quote.servedBy()));
    }

    @GET
    @Path("path")
    public Trace path(RoutingContext rc) {
        RestResponse<Hop> whoami = pricing.whoami();
        return new Trace(path(rc, whoami, whoami.getEntity()));
    }

    private List<Hop> path(RoutingContext rc, RestResponse<?> fromServiceB, Hop serviceB) {
        List<Hop> path = new ArrayList<>(3);
        sidecar.from(rc.request()).ifPresent(path::add);
        String picked = fromServiceB.getHeaderString(PickedInstanceFilter.PICKED_INSTANCE_HEADER);
        path.add(identity.hopSince(RequestTracking.arrivalNanos(rc)).withDiscovery(discoveryMode, picked));
        path.add(serviceB);
        return path;
    }
}
