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
 * At every task size web.yaml allows, each container's health-check start period, and the service's grace period
 * (which covers the start periods too), cover the web task's ready time measured at that CPU (bench/results/limits.md, the last full run) with half again as
 * margin: a task that is still starting is not stopped for it. A size whose CPU was not measured takes the ready time
 * of the next smaller measured CPU (a task with more CPU is not slower to start).
 */
class StartPeriodsTest {

    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    private static final Pattern MEASURED_ROW = Pattern.compile("(?m)^\\| (\\d+)-\\d+ \\| ([0-9.]+) \\|");
    private static final double MARGIN = 1.5;

    @Test
    void everyAllowedSizeStartsWithinItsStartPeriodAndGracePeriod() throws IOException {
        assertEquals(List.of(), violations(ROOT.resolve("infra/templates/web.yaml")));
    }

    @Test
    void aStartPeriodShorterThanTheMeasuredReadyTimeIsCaught(@TempDir Path copy) throws IOException {
        // 20 s at every size: enough from 0.5 vCPU up (ready in 12 s, 18 s with the margin), not at 0.25 (18 s, 28 s).
        Path templates = Files.createDirectories(copy.resolve("infra/templates"));
        for (String name : List.of("web.yaml", "backend-service.yaml", "platform.yaml", "network.yaml", "observability.yaml")) {
            Files.copy(ROOT.resolve("infra/templates").resolve(name), templates.resolve(name));
        }
        Files.copy(ROOT.resolve("infra/stacks"), copy.resolve("infra/stacks"));
        String web = Files.readString(templates.resolve("web.yaml"));
        assertTrue(web.contains("StartPeriod: !If [QuarterVcpu, 60, 30]"), "the variant applies");
        Files.writeString(templates.resolve("web.yaml"), web.replace("StartPeriod: !If [QuarterVcpu, 60, 30]", "StartPeriod: 20"));
        List<String> violations = violations(templates.resolve("web.yaml"));
        assertFalse(violations.isEmpty());
        assertTrue(violations.stream().allMatch(violation -> violation.startsWith("256-")), violations.toString());
    }

    private static List<String> violations(Path web) throws IOException {
        TreeMap<Integer, Double> readyByCpu = measuredReadySeconds();
        assertFalse(readyByCpu.isEmpty(), "bench/results/limits.md has the ready times");
        List<String> violations = new ArrayList<>();
        Object allowed = ((Map<?, ?>) TaskDefinitions.parameters(web).get("TaskSize")).get("AllowedValues");
        for (Object size : (Iterable<?>) allowed) {
            int cpu = Integer.parseInt(String.valueOf(size).split("-")[0]);
            Map.Entry<Integer, Double> measured = readyByCpu.floorEntry(cpu);
            if (measured == null) {
                violations.add(size + ": no ready time measured at or below " + cpu + " CPU units");
                continue;
            }
            double needed = MARGIN * measured.getValue();
            Map<String, String> parameters = Map.of("TaskSize", String.valueOf(size));
            for (TaskDefinitions.Container container : TaskDefinitions.read(web, parameters, TaskDefinitions.LOCAL_EXPORTS).containers()) {
                if (container.essential() && container.healthCheck().startPeriod() < needed) {
                    violations.add(size + " " + container.name() + ": start period " + container.healthCheck().startPeriod()
                            + " s, ready in " + measured.getValue() + " s at " + measured.getKey() + " CPU units");
                }
            }
            // ECS ignores the load balancer's health checks for the grace period: it covers the task's start.
            int grace = EcsServices.of(web, parameters).healthCheckGracePeriodSeconds();
            int longestStartPeriod = TaskDefinitions.read(web, parameters, TaskDefinitions.LOCAL_EXPORTS).containers().stream()
                    .filter(TaskDefinitions.Container::essential).mapToInt(c -> c.healthCheck().startPeriod()).max().orElse(0);
            if (grace < needed || grace < longestStartPeriod) {
                violations.add(size + ": grace period " + grace + " s, ready in " + measured.getValue() + " s, a start period of "
                        + longestStartPeriod + " s");
            }
        }
        return violations;
    }

    private static TreeMap<Integer, Double> measuredReadySeconds() throws IOException {
        TreeMap<Integer, Double> ready = new TreeMap<>();
        Matcher row = MEASURED_ROW.matcher(Files.readString(ROOT.resolve("bench/results/limits.md")));
        while (row.find()) {
            ready.merge(Integer.parseInt(row.group(1)), Double.parseDouble(row.group(2)), Math::max);
        }
        return ready;
    }
}
