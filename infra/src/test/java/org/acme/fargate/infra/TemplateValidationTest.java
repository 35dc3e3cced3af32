package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every template passes CloudFormation's schema rules (unknown properties, types, enum values, GetAtt
 * attributes, dangling Refs), our Guard rules and cdk-nag's AwsSolutions pack, with no parameter fixed:
 * the validator follows every condition and every allowed value, so each configuration a console user
 * can pick is covered. Acknowledged findings carry their reason in the template.
 */
class TemplateValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"network", "platform", "service-b", "web"})
    void passesSchemaRulesGuardRulesAndCdkNag(String template) {
        assertNotNull(Templates.validated(Templates.text(template), Map.of()).get("Resources"));
    }
}
