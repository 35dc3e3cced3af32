package org.acme.fargate.problem;

/** The one check of a declared body size against a limit, for every service that refuses a body before reading it. */
public final class BodyLimit {

    private BodyLimit() {
    }

    /** Whether a Content-Length header declares more than {@code limit} bytes. */
    public static boolean isOver(String declaredLength, long limit) {
        if (declaredLength == null) {
            return false;
        }
        try {
            return Long.parseLong(declaredLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x's HTTP codec has already refused a malformed Content-Length with a 400.
        }
    }
}
