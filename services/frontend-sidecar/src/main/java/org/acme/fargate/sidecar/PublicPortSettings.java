package org.acme.fargate.sidecar;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The {@code quarkus.http.*} (and {@code quarkus.shutdown.timeout}) settings the public port honours, read by their documented names through MicroProfile
 * Config, with Quarkus's defaults where application.properties sets none: the sidecar's own server takes the same
 * keys as Quarkus's, without reaching into Quarkus's configuration classes (which a Quarkus upgrade may change).
 */
@ApplicationScoped
public class PublicPortSettings {

    /**
     * A response header of {@code quarkus.http.header."<name>".value}, with its optional {@code path} (a trailing
     * {@code *} makes it a prefix, as in a Vert.x route; {@code /*} by default, every path) and {@code methods}.
     */
    record Header(String name, String value, String path, boolean prefix, Set<HttpMethod> methods) {

        boolean appliesTo(String requestPath, HttpMethod method) {
            return (prefix ? requestPath.startsWith(path) : requestPath.equals(path))
                    && (methods.isEmpty() || methods.contains(method));
        }
    }

    private static final Pattern HEADER_VALUE = Pattern.compile("quarkus\\.http\\.header\\.\"?([^\"]+)\"?\\.value");

    private final Config config;

    PublicPortSettings(Config config) {
        this.config = config;
    }

    String host() {
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        return LaunchMode.current() == LaunchMode.TEST ? config.getOptionalValue("quarkus.http.test-host", String.class).orElse(host) : host;
    }

    int port() {
        return LaunchMode.current() == LaunchMode.TEST
                ? config.getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081)
                : config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
    }

    Duration idleTimeout() {
        return config.getOptionalValue("quarkus.http.idle-timeout", Duration.class).orElse(Duration.ofMinutes(30));
    }

    int maxHeaderSize() {
        long bytes = config.getOptionalValue("quarkus.http.limits.max-header-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(20L * 1024);
        return (int) bytes;
    }

    int maxInitialLineLength() {
        return config.getOptionalValue("quarkus.http.limits.max-initial-line-length", Integer.class).orElse(4096);
    }

    int maxConnections() {
        return config.getOptionalValue("quarkus.http.limits.max-connections", Integer.class).orElse(Integer.MAX_VALUE);
    }

    /** How long a stopping server waits for the requests in flight (quarkus.shutdown.timeout; none by default). */
    Duration shutdownTimeout() {
        return config.getOptionalValue("quarkus.shutdown.timeout", Duration.class).orElse(Duration.ZERO);
    }

    List<Header> headers() {
        List<Header> headers = new ArrayList<>();
        for (String property : config.getPropertyNames()) {
            Matcher m = HEADER_VALUE.matcher(property);
            if (!m.matches()) {
                continue;
            }
            String prefix = property.substring(0, property.length() - "value".length());
            String path = config.getOptionalValue(prefix + "path", String.class).orElse("/*");
            Set<HttpMethod> methods = Arrays.stream(config.getOptionalValue(prefix + "methods", String[].class).orElse(new String[0]))
                    .map(method -> HttpMethod.valueOf(method.trim().toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toUnmodifiableSet());
            boolean isPrefix = path.endsWith("*");
            headers.add(new Header(m.group(1), config.getValue(property, String.class),
                    isPrefix ? path.substring(0, path.length() - 1) : path, isPrefix, methods));
        }
        return headers;
    }
}
