package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No export another stack imports can change when its stack is updated with other parameter values, so that no
 * parameter change (HTTPS turned on, a third zone) is refused by CloudFormation for an export in use. The parameters
 * whose change is a replacement are listed with why; the docs and the parameters' descriptions warn about each.
 */
class ExportStabilityTest {

    /** Parameters that may change an export in use, and why that is a replacement the docs warn about. */
    static final Map<String, String> REPLACEMENTS = Map.of(
            "EnvironmentName", "it names every export: another value is another environment, deployed beside this one",
            "VpcCidr", "another address range is another VPC: its description says to deploy a new environment instead",
            "NamespaceName", "another Cloud Map namespace is a new one: its description says it cannot change once services use it",
            "ServiceName", "a backend's name is the service: its description says a new name is a new service, beside the old one");

    private static Set<String> imported;

    @BeforeAll
    static void whatOtherStacksImport() {
        imported = ExportStability.importedNames(Templates.environment().values());
    }

    @Test
    void noExportInUseChangesWithItsStacksParameters() {
        List<String> violations = new ArrayList<>();
        for (String stack : Templates.ALL) {
            ExportStability.violations(Templates.parsed(Templates.text(stack), Map.of()), Templates.stack(stack), imported, REPLACEMENTS)
                    .forEach(violation -> violations.add(stack + " " + violation));
        }
        assertEquals(List.of(), violations);
    }

    // --- Broken variants: the traps this check exists for ------------------------------------------------

    @Test
    void anExportThatSwitchesListenersWithTheCertificateIsCaught() {
        assertCaught("platform", "    Value: !Ref HttpListener\n", "    Value: !If [HasCertificate, !Ref HttpsListener, !Ref HttpListener]\n",
                REPLACEMENTS, "HttpListenerArn: switches on the condition HasCertificate");
    }

    @Test
    void anExportThatGrowsWithAThirdZoneIsCaught() {
        assertCaught("network", "    Value: !Ref PrivateSubnetA\n", "    Value: !If [ThreeZones, !Join [\",\", [!Ref PrivateSubnetA, !Ref PrivateSubnetC]],"
                + " !Ref PrivateSubnetA]\n", REPLACEMENTS, "PrivateSubnetAId: switches on the condition ThreeZones");
    }

    @Test
    void anExportOfAResourceAParameterReplacesIsCaught() {
        Map<String, String> withoutVpcCidr = new java.util.HashMap<>(REPLACEMENTS);
        withoutVpcCidr.remove("VpcCidr");
        assertCaught("network", "", "", withoutVpcCidr, "VpcId: replaced when Vpc.CidrBlock changes");
    }

    private static void assertCaught(String stack, String original, String replacement, Map<String, String> replacements, String violation) {
        String text = Templates.text(stack);
        assertTrue(text.contains(original), "the variant applies to " + stack + ": " + original);
        String broken = original.isEmpty() ? text : text.replaceFirst(java.util.regex.Pattern.quote(original),
                java.util.regex.Matcher.quoteReplacement(replacement));
        List<String> violations = ExportStability.violations(Templates.parsed(broken, Map.of()),
                Templates.stack(broken, Templates.parameters(stack)), imported, replacements);
        assertTrue(violations.contains(violation), violation + " in " + violations);
    }
}
