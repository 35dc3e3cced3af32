package org.acme.fargate.storefront;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.acme.fargate.balancing.EjectOnNoAnswerFilter;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * service-b's API. The base URL is {@code stork://service-b} (application.properties): Stork discovers
 * the instances and load-balances every call, so each retry can land on another instance.
 */
@RegisterRestClient(configKey = "service-b")
@RegisterProvider(PricingErrors.class)
@RegisterProvider(EjectOnNoAnswerFilter.class)
@Produces(MediaType.APPLICATION_JSON)
public interface PricingClient {

    @GET
    @Path("/products")
    List<Product> products();

    @GET
    @Path("/products/{sku}")
    Product product(@PathParam("sku") String sku);

    @POST
    @Path("/quotes")
    @Consumes(MediaType.APPLICATION_JSON)
    Quote quote(QuoteRequest request);
}
