package org.acme.fargate.cloudmap;

import java.util.Map;

/**
 * An error as the Cloud Map API reports it: the AWS JSON protocol's {@code __type}, the {@code Message} and any
 * other members of the error's shape (ServiceAlreadyExists carries the existing {@code ServiceId}), with the
 * HTTP status AWS uses (400 for every client error, 500 for its own).
 */
public class CloudMapException extends RuntimeException {

    private final String type;
    private final int status;
    private final Map<String, String> members;

    public CloudMapException(String type, String message) {
        this(type, message, 400);
    }

    public CloudMapException(String type, String message, int status) {
        this(type, message, status, Map.of());
    }

    public CloudMapException(String type, String message, Map<String, String> members) {
        this(type, message, 400, members);
    }

    private CloudMapException(String type, String message, int status, Map<String, String> members) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
        this.members = Map.copyOf(members);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The error shape's members besides the message. */
    public Map<String, String> members() {
        return members;
    }

    static CloudMapException invalidInput(String message) {
        return new CloudMapException("InvalidInput", message);
    }
}
