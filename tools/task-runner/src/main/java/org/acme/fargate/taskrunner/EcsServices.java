package org.acme.fargate.taskrunner;

import static org.acme.fargate.taskrunner.CloudFormationTemplate.list;
import static org.acme.fargate.taskrunner.CloudFormationTemplate.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A template's ECS service as its deployments and its registries see it, with AWS's defaults where it sets none. */
public final class EcsServices {

    /**
     * What an ECS service's deployments follow: the share of the desired count that must stay healthy and the share
     * that may run during a rolling replacement, whether a failing deployment is rolled back, the TTL of the Cloud
     * Map DNS records its tasks are registered under (0 without a registry), how long the load balancer's health
     * checks are ignored after a task starts, and the target group its tasks are registered in (null without one).
     */
    public record EcsService(String name, int minimumHealthyPercent, int maximumPercent, boolean rollback, int dnsTtl,
            int healthCheckGracePeriodSeconds, TargetGroup targetGroup) {
    }

    /**
     * An ALB target group as its targets see it: the health check (path, interval, timeout, thresholds), how long
     * a deregistered target keeps its in-flight requests (deregistration delay), how long a new target's share of
     * requests ramps up (slow start, 0 for none), and the container and port it sends to.
     */
    public record TargetGroup(String container, int port, String healthCheckPath, int intervalSeconds, int timeoutSeconds,
            int healthyThreshold, int unhealthyThreshold, int deregistrationDelaySeconds, int slowStartSeconds) {
    }

    private EcsServices() {
    }

    /** The template's one ECS service, resolved for these parameters. */
    public static EcsService of(Path template, Map<String, String> parameters) {
        CloudFormationTemplate resolved = CloudFormationTemplate.load(template, parameters, TaskDefinitions.LOCAL_EXPORTS);
        List<String> services = resolved.resourcesOfType("AWS::ECS::Service");
        if (services.size() != 1) {
            throw new IllegalArgumentException(template + " has " + services.size() + " ECS services, not one");
        }
        Map<String, Object> properties = resolved.properties(services.get(0));
        Map<String, Object> deployment = map(properties.get("DeploymentConfiguration"));
        int ttl = 0;
        for (String registry : resolved.resourcesOfType("AWS::ServiceDiscovery::Service")) {
            for (Object record : list(map(resolved.properties(registry).get("DnsConfig")).get("DnsRecords"))) {
                ttl = Math.max(ttl, resolved.integer(map(record).get("TTL"), 0));
            }
        }
        // ECS's defaults where the template sets none: 100 % and 200 %, no circuit breaker, no grace period.
        return new EcsService(resolved.text(properties.get("ServiceName")),
                resolved.integer(deployment.get("MinimumHealthyPercent"), 100),
                resolved.integer(deployment.get("MaximumPercent"), 200),
                Boolean.parseBoolean(resolved.text(map(deployment.get("DeploymentCircuitBreaker")).get("Rollback"))), ttl,
                resolved.integer(properties.get("HealthCheckGracePeriodSeconds"), 0), targetGroup(resolved, properties));
    }

    /**
     * The container ports a template's ECS services put behind a load balancer ({@code LoadBalancers} of each
     * {@code AWS::ECS::Service}): the only ports reachable from outside the VPC.
     */
    public static List<Integer> loadBalancedPorts(Path template) {
        CloudFormationTemplate resolved = CloudFormationTemplate.load(template, Map.of(), Map.of());
        List<Integer> ports = new ArrayList<>();
        for (String service : resolved.resourcesOfType("AWS::ECS::Service")) {
            for (Object balancer : list(resolved.properties(service).get("LoadBalancers"))) {
                ports.add(Integer.parseInt(String.valueOf(map(balancer).get("ContainerPort"))));
            }
        }
        return ports;
    }

    /** The target group of the service's one load balancer, with ELB's defaults where the template sets none. */
    private static TargetGroup targetGroup(CloudFormationTemplate resolved, Map<String, Object> service) {
        List<Object> balancers = list(service.get("LoadBalancers"));
        if (balancers.isEmpty()) {
            return null;
        }
        Map<String, Object> balancer = map(balancers.get(0));
        Map<String, Object> group = resolved.properties(resolved.text(map(balancer.get("TargetGroupArn")).get("Ref")));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Object attribute : list(group.get("TargetGroupAttributes"))) {
            attributes.put(resolved.text(map(attribute).get("Key")), resolved.text(map(attribute).get("Value")));
        }
        return new TargetGroup(resolved.text(balancer.get("ContainerName")), resolved.integer(balancer.get("ContainerPort"), -1),
                group.containsKey("HealthCheckPath") ? resolved.text(group.get("HealthCheckPath")) : "/",
                resolved.integer(group.get("HealthCheckIntervalSeconds"), 30), resolved.integer(group.get("HealthCheckTimeoutSeconds"), 5),
                resolved.integer(group.get("HealthyThresholdCount"), 5), resolved.integer(group.get("UnhealthyThresholdCount"), 2),
                resolved.integer(attributes.get("deregistration_delay.timeout_seconds"), 300),
                resolved.integer(attributes.get("slow_start.duration_seconds"), 0));
    }
}
