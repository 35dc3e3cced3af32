package org.acme.fargate.cloudmap;

/**
 * An error as the Cloud Map API reports it: the AWS JSON protocol's {@code __type} and message, with the
 * HTTP status AWS uses (400 for every client error, 500 for its own).
 */
public class CloudMapException extends RuntimeException {

    private final String type;
    private final int status;

    public CloudMapException(String type, String message) {
        this(type, message, 400);
    }

    public CloudMapException(String type, String message, int status) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    static CloudMapException invalidInput(String message) {
        return new CloudMapException("InvalidInput", message);
    }
}
