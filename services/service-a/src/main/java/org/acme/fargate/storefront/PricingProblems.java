package org.acme.fargate.storefront;

import io.quarkus.logging.Log;
import io.smallrye.stork.api.NoServiceInstanceFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemExceptionMappers;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** How service-b's troubles look to the page: its 4xx relayed as is, its absence as a 503 to retry later. */
public class PricingProblems {

    @ServerExceptionMapper
    public Response rejected(PricingRejected e, UriInfo uri) {
        return ProblemExceptionMappers.response(Problem.of(e.status(), e.getMessage()).withInstance(uri.getPath()));
    }

    /**
     * Retries exhausted on a failing instance set (PricingFailed, connection refused), no instance
     * registered at all (every task stopped or deregistered), or the breaker open.
     */
    @ServerExceptionMapper({PricingFailed.class, ProcessingException.class, NoServiceInstanceFoundException.class,
            FaultToleranceException.class})
    public Response unavailable(RuntimeException e, UriInfo uri) {
        Log.warnf("service-b unavailable for %s: %s", uri.getPath(), e.toString());
        Response problem = ProblemExceptionMappers.response(Problem.of(503,
                "Pricing (service-b) cannot answer right now; try again in " + PricingGateway.RETRY_AFTER_SECONDS
                        + " seconds.").withInstance(uri.getPath()));
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, PricingGateway.RETRY_AFTER_SECONDS)
                .build();
    }
}
