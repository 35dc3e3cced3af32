package org.acme.fargate.taskrunner;

import static org.acme.fargate.taskrunner.CloudFormationTemplate.list;
import static org.acme.fargate.taskrunner.CloudFormationTemplate.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The security groups a template's ECS services attach to their tasks, followed as CloudFormation does: a group of
 * the service's own stack ({@code !Ref}), or one another stack exports ({@code Fn::ImportValue}, which
 * {@code platform}'s outputs name). Its inbound rules are those written in the group and those of
 * {@code AWS::EC2::SecurityGroupIngress} resources of the same template. A group is named by its {@code Name} tag (as
 * the console shows it: fnr-web, fnr-service-b), its sources too, so that two stacks' groups of the same logical name
 * stay apart.
 */
public final class SecurityGroups {

    /** An inbound rule: from another security group ({@code sourceGroup}, its name) or from {@code cidr}. */
    public record Ingress(String description, String protocol, int fromPort, int toPort, String sourceGroup, String cidr) {
    }

    /** A security group, by its Name tag, with every inbound rule it has. */
    public record SecurityGroup(String name, String description, List<Ingress> ingress) {
    }

    private SecurityGroups() {
    }

    public static List<SecurityGroup> of(Path template, Map<String, String> parameters, Path platform) {
        CloudFormationTemplate service = CloudFormationTemplate.load(template, parameters, Map.of());
        CloudFormationTemplate platformGroups = CloudFormationTemplate.load(platform, Map.of(), Map.of());
        List<SecurityGroup> attached = new ArrayList<>();
        for (String name : service.resourcesOfType("AWS::ECS::Service")) {
            Map<String, Object> network = map(map(service.properties(name).get("NetworkConfiguration")).get("AwsvpcConfiguration"));
            for (Object group : list(network.get("SecurityGroups"))) {
                Map<String, Object> reference = map(group);
                if (reference.containsKey("Ref")) {
                    attached.add(securityGroup(service, String.valueOf(reference.get("Ref")), platformGroups));
                } else {
                    String export = service.text(reference.get("Fn::ImportValue"));
                    attached.add(securityGroup(platformGroups, platformGroups.exportedResource(export), platformGroups));
                }
            }
        }
        return attached;
    }

    private static SecurityGroup securityGroup(CloudFormationTemplate owner, String name, CloudFormationTemplate platform) {
        Map<String, Object> properties = owner.properties(name);
        List<Ingress> ingress = new ArrayList<>();
        list(properties.get("SecurityGroupIngress")).forEach(rule -> ingress.add(ingress(owner, map(rule), platform)));
        for (String rule : owner.resourcesOfType("AWS::EC2::SecurityGroupIngress")) {
            Map<String, Object> ruleProperties = owner.properties(rule);
            if (name.equals(map(ruleProperties.get("GroupId")).get("Ref"))) {
                ingress.add(ingress(owner, ruleProperties, platform));
            }
        }
        return new SecurityGroup(groupName(owner, name), owner.text(properties.get("GroupDescription")), ingress);
    }

    /** A group's Name tag, resolved; its logical name if it has none. */
    private static String groupName(CloudFormationTemplate owner, String logicalName) {
        for (Object tag : list(owner.properties(logicalName).get("Tags"))) {
            if ("Name".equals(owner.text(map(tag).get("Key")))) {
                return owner.text(map(tag).get("Value"));
            }
        }
        return logicalName;
    }

    private static Ingress ingress(CloudFormationTemplate owner, Map<String, Object> rule, CloudFormationTemplate platform) {
        Map<String, Object> source = map(rule.get("SourceSecurityGroupId"));
        String sourceGroup = null;
        if (source.containsKey("Ref")) {
            sourceGroup = groupName(owner, String.valueOf(source.get("Ref")));
        } else if (source.containsKey("Fn::ImportValue")) {
            sourceGroup = groupName(platform, platform.exportedResource(owner.text(source.get("Fn::ImportValue"))));
        }
        return new Ingress(owner.text(rule.get("Description")), owner.text(rule.get("IpProtocol")),
                owner.integer(rule.get("FromPort"), -1), owner.integer(rule.get("ToPort"), -1), sourceGroup,
                owner.text(rule.get("CidrIp")));
    }
}
