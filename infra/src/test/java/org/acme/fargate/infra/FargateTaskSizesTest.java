package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TaskSize choices of the service templates are pairs Fargate accepts, and the task definition takes its
 * Cpu and Memory from the one choice. CloudFormation's validator cannot tell which halves belong together, so this
 * test checks every offered pair against Fargate's table (the validator, which pairs halves of different choices,
 * is acknowledged on the task definitions).
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
        JsonNode parameter = template.path("Parameters").path("TaskSize");
        List<String> offered = new ArrayList<>();
        parameter.path("AllowedValues").forEach(value -> offered.add(value.asText()));
        if (offered.isEmpty() || !offered.contains(parameter.path("Default").asText())) {
            invalid.add("TaskSize offers " + offered + " with default " + parameter.path("Default"));
        }
        for (String size : offered) {
            String[] pair = size.split("-");
            if (pair.length != 2 || !fargateAccepts(Integer.parseInt(pair[0]), Integer.parseInt(pair[1]))) {
                invalid.add(size + " is not a Fargate CPU-memory pair");
            }
        }
        template.path("Resources").fields().forEachRemaining(resource -> {
            if (resource.getValue().path("Type").asText().equals("AWS::ECS::TaskDefinition")) {
                JsonNode properties = resource.getValue().path("Properties");
                for (String[] field : new String[][] {{"Cpu", "0"}, {"Memory", "1"}}) {
                    String expected = "{\"Fn::Select\":[\"" + field[1] + "\",{\"Fn::Split\":[\"-\",{\"Ref\":\"TaskSize\"}]}]}";
                    String actual = properties.path(field[0]).toString().replace("[" + field[1] + ",", "[\"" + field[1] + "\",");
                    if (!actual.equals(expected)) {
                        invalid.add(resource.getKey() + "." + field[0] + " is " + properties.path(field[0]) + ", not TaskSize's");
                    }
                }
            }
        });
        return invalid;
    }

    @ParameterizedTest
    @ValueSource(strings = {"service-b", "web"})
    void everyTaskSizeIsAFargatePairAndSizesTheTask(String name) {
        assertEquals(List.of(), invalidTaskSizes(Templates.parsed(Templates.text(name), Map.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"service-b", "web"})
    void aPairFargateRefusesIsCaught(String name) {
        String broken = Templates.text(name).replace("\"1024-2048\",", "\"1024-1024\",");
        assertFalse(invalidTaskSizes(Templates.parsed(broken, Map.of())).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"service-b", "web"})
    void aTaskSizedOtherwiseIsCaught(String name) {
        String broken = Templates.text(name).replace("Memory: !Select [1, !Split", "Memory: !Select [0, !Split");
        assertFalse(invalidTaskSizes(Templates.parsed(broken, Map.of())).isEmpty());
    }
}
