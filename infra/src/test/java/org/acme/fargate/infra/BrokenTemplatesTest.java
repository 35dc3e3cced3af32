package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each validation layer fails the build when it should: a broken variant of a template, the finding the
 * failure message must name. Proves that TemplateValidationTest's clean runs are not clean by accident.
 */
class BrokenTemplatesTest {

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # CloudFormation's schema rules
            platform  | GroupDescription: Web tasks | Bogus: 1\\n      GroupDescription: Web tasks | Additional properties are not allowed
            platform  | !GetAtt LoadBalancer.LoadBalancerFullName | !GetAtt LoadBalancer.FullName | 'FullName' is not one of
            platform  | SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup | SourceSecurityGroupId: !Ref BalancerGroup | BalancerGroup
            service-b | NetworkMode: awsvpc | NetworkMode: bridge | awsvpc
            service-b | RoutingPolicy: !Ref RoutingPolicy | RoutingPolicy: ROUND_ROBIN | ROUND_ROBIN
            web       | Protocol: HTTP\\n      Port: 8000 | Protocol: HTTPX\\n      Port: 8000 | HTTPX
            # Our Guard rules
            web       | AssignPublicIp: DISABLED | AssignPublicIp: ENABLED | AssignPublicIp
            service-b | Enable: true, Rollback: true | Enable: true, Rollback: false | Rollback
            service-b | ReadonlyRootFilesystem: true | ReadonlyRootFilesystem: false | read-only root filesystem
            service-b | User: "185" | User: "0" | root
            web       | { Name: BACKEND_PORT, Value: "8080" } | { Name: DB_PASSWORD, Value: "hunter2" } | secret
            platform  | Action: [logs:CreateLogStream, logs:PutLogEvents] | Action: logs:* | wildcard
            service-b | RetentionInDays: !Ref LogRetentionDays | LogGroupClass: STANDARD | retention
            platform  | `Value: !If [AccessLogsEnabled, "true", "false"]` | `Value: "false"` | access logs
            platform  | `Value: !If [DeletionProtectionEnabled, "true", "false"]` | `Value: !If [DeletionProtectionEnabled, "false", "true"]` | deletion protection
            platform  | `Type: redirect\\n            RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 }` | `Type: fixed-response\\n            FixedResponseConfig: { StatusCode: "404" }` | redirects to HTTPS
            platform  | SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 | SslPolicy: ELBSecurityPolicy-2016-08 | TLS 1.3
            # cdk-nag: an acknowledgment removed
            platform  | - id: AwsSolutions-ELB2 | - id: AwsSolutions-ELB1 | AwsSolutions-ELB2
            """)
    void aBrokenVariantFails(String template, String original, String replacement, String expectedInMessage) {
        String text = Templates.text(template);
        String from = original.replace("\\n", "\n");
        assertTrue(text.contains(from), "the variant applies to " + template + ": " + original);
        String broken = text.replace(from, replacement.replace("\\n", "\n"));
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Templates.validated(broken, Map.of()));
        assertTrue(failure.getMessage().toLowerCase().contains(expectedInMessage.toLowerCase()),
                "expected '" + expectedInMessage + "' in:\n" + failure.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            platform | reason: The public load balancer is the front door; it alone accepts 80 and 443 from anywhere. | reason: public ALB
            """)
    void anAcknowledgmentNeedsARealReason(String template, String original, String replacement) {
        String broken = Templates.text(template).replace(original, replacement);
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Templates.validated(broken, Map.of()));
        assertTrue(failure.getMessage().contains("needs a real reason"), failure.getMessage());
    }
}
