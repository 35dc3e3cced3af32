package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TaskSize choices of the service templates are pairs Fargate accepts. CloudFormation's validator
 * cannot check them itself (it pairs Cpu and Memory from different TaskSizes rows), so its finding is
 * acknowledged on the task definitions and this test takes its place.
 */
class FargateTaskSizesTest {

    /** Fargate's CPU/memory table (Linux): CPU units → allowed memory in MiB. */
    static boolean fargateAccepts(int cpu, int memory) {
        return switch (cpu) {
            case 256 -> Set.of(512, 1024, 2048).contains(memory);
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            default -> false;
        };
    }

    static List<String> invalidTaskSizes(JsonNode template) {
        List<String> invalid = new ArrayList<>();
        Set<String> rows = new TreeSet<>();
        template.path("Mappings").path("TaskSizes").fields().forEachRemaining(row -> {
            rows.add(row.getKey());
            int cpu = row.getValue().path("Cpu").asInt();
            int memory = row.getValue().path("Memory").asInt();
            if (!fargateAccepts(cpu, memory) || !row.getKey().equals(cpu + "-" + memory)) {
                invalid.add(row.getKey() + " = " + cpu + " CPU / " + memory + " MiB");
            }
        });
        Set<String> offered = new TreeSet<>();
        template.path("Parameters").path("TaskSize").path("AllowedValues").forEach(v -> offered.add(v.asText()));
        if (!rows.equals(offered)) {
            invalid.add("TaskSize offers " + offered + " but TaskSizes has " + rows);
        }
        return invalid;
    }

    @ParameterizedTest
    @ValueSource(strings = {"service-b", "web"})
    void everyTaskSizeIsAFargatePair(String name) {
        JsonNode template = Templates.parsed(Templates.text(name), Map.of());
        assertTrue(template.path("Mappings").path("TaskSizes").size() > 0);
        assertEquals(List.of(), invalidTaskSizes(template));
    }

    @ParameterizedTest
    @ValueSource(strings = {"service-b", "web"})
    void aMismatchedPairIsCaught(String name) {
        String broken = Templates.text(name).replace("\"1024-2048\": { Cpu: \"1024\", Memory: \"2048\" }",
                "\"1024-2048\": { Cpu: \"1024\", Memory: \"1024\" }");
        assertFalse(invalidTaskSizes(Templates.parsed(broken, Map.of())).isEmpty());
    }
}
