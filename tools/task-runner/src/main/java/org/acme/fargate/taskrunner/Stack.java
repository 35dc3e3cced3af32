package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row of {@code infra/stacks}: one stack of an environment, as an instance of a template of
 * {@code infra/templates} with the parameters that make it this stack (a backend service's {@code ServiceName}).
 * The file lists the stacks in deploy order; it is the one list of the services that make up the topology.
 */
public record Stack(String name, String template, Map<String, String> parameters) {

    /** Every stack of the file, in its order. */
    public static List<Stack> all(Path stacksFile) {
        List<Stack> stacks = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(stacksFile)) {
                String row = line.replaceFirst("#.*", "").strip();
                if (row.isEmpty()) {
                    continue;
                }
                String[] words = row.split("\\s+");
                if (words.length < 2) {
                    throw new IllegalArgumentException(stacksFile + ": \"" + row + "\" names no template");
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 2; i < words.length; i++) {
                    int equals = words[i].indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException(stacksFile + ": " + words[i] + " is not Key=Value");
                    }
                    parameters.put(words[i].substring(0, equals), words[i].substring(equals + 1));
                }
                stacks.add(new Stack(words[0], words[1], parameters));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stacks;
    }

    /** The stacks that run an ECS service, in the file's order: the services of the topology. */
    public static List<Stack> services(Path stacksFile) {
        Path templates = templatesBeside(stacksFile);
        return all(stacksFile).stream().filter(stack -> TaskDefinitions.hasService(stack.templateFile(templates))).toList();
    }

    /** infra/stacks names templates of infra/templates. */
    public static Path templatesBeside(Path stacksFile) {
        return stacksFile.toAbsolutePath().getParent().resolve("templates");
    }

    public Path templateFile(Path templates) {
        return templates.resolve(template + ".yaml");
    }

    /** This stack's parameters, then {@code more} (a local run's choices), which win. */
    public Map<String, String> parametersWith(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.putAll(more);
        return all;
    }
}
