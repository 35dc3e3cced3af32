package org.acme.fargate.system;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's setting as its application.properties writes it (the default of a ${VARIABLE:default}), for the tests that wait on it. */
final class ServiceSettings {

    private static final Pattern DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}");

    private ServiceSettings() {
    }

    /** A duration setting ("5S", "20s"). */
    static Duration duration(String module, String key) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(LocalTopology.module(module).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(module + " sets no " + key);
        }
        Matcher variable = DEFAULT.matcher(value);
        return Duration.parse("PT" + (variable.matches() ? variable.group(1) : value).toUpperCase());
    }
}
