package org.acme.fargate.storefront;

/** service-b refused the request as invalid (4xx). The caller must fix it; retrying cannot help. */
public class PricingRejected extends RuntimeException {

    private final int status;

    public PricingRejected(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
