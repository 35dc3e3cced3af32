package org.acme.fargate.cloudmap;

import java.time.Instant;
import java.util.Map;

/**
 * A change Cloud Map carries out asynchronously and reports through GetOperation and ListOperations. Here every
 * change is done before the call returns, so an operation is SUCCESS from the start; clients that poll for it,
 * as the AWS CLI's waiters and CloudFormation do, see it complete on the first look.
 *
 * @param targets what it acted on, keyed NAMESPACE, SERVICE and INSTANCE as the API keys them
 */
public record SubmittedOperation(String id, Type type, Instant createDate, Map<String, String> targets) {

    /** The operation types of the API ({@code OperationType}). */
    public enum Type {
        CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE, REGISTER_INSTANCE, DEREGISTER_INSTANCE
    }

    public static final String STATUS = "SUCCESS";
}
