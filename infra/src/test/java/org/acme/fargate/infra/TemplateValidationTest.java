package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every template passes CloudFormation's schema rules (unknown properties, types, enum values, GetAtt
 * attributes, dangling Refs), our Guard rules and cdk-nag's AwsSolutions pack, with no parameter fixed:
 * the validator follows every condition and every allowed value, so each configuration a console user
 * can pick is covered. Acknowledged findings carry their reason in the template.
 */
class TemplateValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"network", "platform", "backend-service", "web", "observability"})
    void passesSchemaRulesGuardRulesAndCdkNag(String template) {
        assertNotNull(Templates.validated(Templates.text(template), Map.of()).get("Resources"));
    }

    /** Each stack of infra/stacks, and another instance of the backend template, with their own parameters. */
    @ParameterizedTest
    @MethodSource("org.acme.fargate.infra.Templates#stacksAndAnotherBackend")
    void everyStackPassesWithItsOwnParameters(String stack) {
        assertNotNull(Templates.validated(Templates.text(stack), Templates.parameters(stack)).get("Resources"));
    }

    /** Deployable from the console: every parameter explained, constrained and grouped; outputs exported. */
    @ParameterizedTest
    @ValueSource(strings = {"network", "platform", "backend-service", "web", "observability"})
    void isReadyForTheConsole(String name) {
        JsonNode template = Templates.parsed(Templates.text(name), Map.of());
        assertFalse(template.path("Description").asText().isBlank(), name + " has a description");
        Set<String> grouped = new HashSet<>();
        template.path("Metadata").path("AWS::CloudFormation::Interface").path("ParameterGroups")
                .forEach(group -> group.path("Parameters").forEach(p -> grouped.add(p.asText())));
        template.path("Parameters").fields().forEachRemaining(parameter -> {
            JsonNode p = parameter.getValue();
            String id = name + "." + parameter.getKey();
            assertFalse(p.path("Description").asText().isBlank(), id + " is described");
            assertTrue(p.has("AllowedValues") || p.has("AllowedPattern") || (p.has("MinValue") && p.has("MaxValue")),
                    id + " is constrained by AllowedValues, AllowedPattern or MinValue/MaxValue");
            assertTrue(grouped.contains(parameter.getKey()), id + " is in a parameter group");
        });
        template.path("Outputs").fields().forEachRemaining(output -> {
            assertFalse(output.getValue().path("Description").asText().isBlank(), name + "." + output.getKey());
            assertTrue(output.getValue().has("Export") || output.getKey().equals("SiteUrl"),
                    name + "." + output.getKey() + " is exported for the next stack");
        });
    }
}
