package org.acme.fargate.storefront;

/** One service-b instance failed to answer (5xx); another instance may well succeed. */
public class PricingFailed extends RuntimeException {

    public PricingFailed(String message) {
        super(message, null, false, false);
    }
}
