package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At every task size a service's template allows, each container's health-check start period, and the service's grace
 * period when a load balancer checks it too, cover the task's ready time measured at that CPU with half again as margin:
 * a task that is still starting is not stopped for it. The web task's ready times are the limits case's (its last full
 * run, bench/results/limits.md), a backend's are its task's own (the warmup case's run of service-b at its sizes). A size
 * whose CPU was not measured takes the ready time of the next smaller measured CPU (a task with more CPU is not slower
 * to start).
 */
class StartPeriodsTest {

    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    private static final Path STACKS = ROOT.resolve("infra/stacks");
    private static final double MARGIN = 1.5;

    /** Where a template's ready times were measured, and how a row of that table gives a CPU and its ready seconds. */
    private record Measured(String results, Pattern row) {
    }

    private static final Map<String, Measured> MEASURED = Map.of(
            "web", new Measured("bench/results/limits.md", Pattern.compile("(?m)^\\| (\\d+)-\\d+ \\| ([0-9.]+) \\|")),
            // Each variant's median: the tiered JVM's and C1's, whichever the template runs at that size.
            "backend-service", new Measured("bench/results/warmup-service-b-task-sizes.md",
                    Pattern.compile("(?m)^\\| [a-z0-9-]+ \\| (\\d+)-\\d+ \\| ([0-9.]+) \\(")));

    @Test
    void everyServiceStartsWithinItsStartPeriodsAndGracePeriodAtEveryAllowedSize() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Stack stack : Stack.services(STACKS)) {
            violations.addAll(violations(stack, Stack.templatesBeside(STACKS)));
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void aStartPeriodShorterThanTheMeasuredReadyTimeIsCaught(@TempDir Path copy) throws IOException {
        Path templates = copyOfTheTemplates(copy);
        // 20 s at every size: enough from 0.5 vCPU up (ready in 12 s, 18 s with the margin), not at 0.25 (18 s, 28 s).
        String web = Files.readString(templates.resolve("web.yaml"));
        assertTrue(web.contains("StartPeriod: !If [QuarterVcpu, 60, 30]"), "the variant applies");
        Files.writeString(templates.resolve("web.yaml"), web.replace("StartPeriod: !If [QuarterVcpu, 60, 30]", "StartPeriod: 20"));
        List<String> violations = violations(stack("web"), templates);
        assertFalse(violations.isEmpty());
        assertTrue(violations.stream().allMatch(violation -> violation.startsWith("256-")), violations.toString());
    }

    @Test
    void aBackendStartPeriodShorterThanItsTasksReadyTimeIsCaught(@TempDir Path copy) throws IOException {
        Path templates = copyOfTheTemplates(copy);
        // 15 s: enough from 0.5 vCPU up (service-b ready in 5.3 s, 8 s with the margin), not at 0.25 (12.9 s, 19 s).
        String backend = Files.readString(templates.resolve("backend-service.yaml"));
        assertTrue(backend.contains("            StartPeriod: 30\n"), "the variant applies");
        Files.writeString(templates.resolve("backend-service.yaml"), backend.replace("            StartPeriod: 30\n",
                "            StartPeriod: 15\n"));
        List<String> violations = violations(stack("service-b"), templates);
        assertFalse(violations.isEmpty());
        assertTrue(violations.stream().allMatch(violation -> violation.startsWith("256-")), violations.toString());
    }

    private static Stack stack(String name) {
        return Stack.all(STACKS).stream().filter(stack -> stack.name().equals(name)).findFirst().orElseThrow();
    }

    private static Path copyOfTheTemplates(Path copy) throws IOException {
        Path templates = Files.createDirectories(copy.resolve("infra/templates"));
        for (String name : List.of("web.yaml", "backend-service.yaml", "platform.yaml", "network.yaml", "observability.yaml")) {
            Files.copy(ROOT.resolve("infra/templates").resolve(name), templates.resolve(name));
        }
        Files.copy(STACKS, copy.resolve("infra/stacks"));
        return templates;
    }

    private static List<String> violations(Stack stack, Path templates) throws IOException {
        Path template = stack.templateFile(templates);
        Measured measured = MEASURED.get(stack.template());
        if (measured == null) {
            return List.of(stack.name() + ": no ready times measured for template " + stack.template());
        }
        TreeMap<Integer, Double> readyByCpu = measuredReadySeconds(measured);
        assertFalse(readyByCpu.isEmpty(), measured.results() + " has the ready times");
        List<String> violations = new ArrayList<>();
        Object allowed = ((Map<?, ?>) TaskDefinitions.parameters(template).get("TaskSize")).get("AllowedValues");
        for (Object size : (Iterable<?>) allowed) {
            int cpu = Integer.parseInt(String.valueOf(size).split("-")[0]);
            Map.Entry<Integer, Double> ready = readyByCpu.floorEntry(cpu);
            if (ready == null) {
                violations.add(size + ": no ready time measured at or below " + cpu + " CPU units");
                continue;
            }
            double needed = MARGIN * ready.getValue();
            Map<String, String> parameters = stack.parametersWith(Map.of("TaskSize", String.valueOf(size)));
            List<TaskDefinitions.Container> essential = TaskDefinitions.read(template, parameters, TaskDefinitions.LOCAL_EXPORTS)
                    .containers().stream().filter(TaskDefinitions.Container::essential).toList();
            for (TaskDefinitions.Container container : essential) {
                if (container.healthCheck().startPeriod() < needed) {
                    violations.add(size + " " + container.name() + ": start period " + container.healthCheck().startPeriod()
                            + " s, ready in " + ready.getValue() + " s at " + ready.getKey() + " CPU units");
                }
            }
            // ECS ignores the load balancer's health checks for the grace period: it covers the task's start.
            EcsServices.EcsService service = EcsServices.of(template, parameters);
            int longestStartPeriod = essential.stream().mapToInt(c -> c.healthCheck().startPeriod()).max().orElse(0);
            int grace = service.healthCheckGracePeriodSeconds();
            if (service.targetGroup() != null && (grace < needed || grace < longestStartPeriod)) {
                violations.add(size + ": grace period " + grace + " s, ready in " + ready.getValue() + " s, a start period of "
                        + longestStartPeriod + " s");
            }
        }
        return violations;
    }

    private static TreeMap<Integer, Double> measuredReadySeconds(Measured measured) throws IOException {
        TreeMap<Integer, Double> ready = new TreeMap<>();
        Matcher row = measured.row().matcher(Files.readString(ROOT.resolve(measured.results())));
        while (row.find()) {
            ready.merge(Integer.parseInt(row.group(1)), Double.parseDouble(row.group(2)), Math::max);
        }
        return ready;
    }
}
