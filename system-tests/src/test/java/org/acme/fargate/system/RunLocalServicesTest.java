package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner knows no service by name: in a copy of the scripts and templates whose infra/stacks lists one more
 * backend ({@code inventory}, an instance of backend-service.yaml on another port) and whose web task names it in
 * service-a's environment, every mode gives it tasks of its own (ports, a subnet, a Service Connect alias), its own
 * security group admitting the web tasks, and service-a the wiring to find it, with no change to local/ or run-local.sh.
 * The runner's functions are read as run-local.sh reads them, against what task-runner resolves from the copy.
 */
class RunLocalServicesTest {

    @TempDir
    Path copy;

    @BeforeEach
    void aCopyWithAnotherBackend() throws Exception {
        LocalTopology.run(List.of("cp", "-r", LocalTopology.ROOT.resolve("run-local.sh").toString(),
                LocalTopology.ROOT.resolve("local").toString(), LocalTopology.ROOT.resolve("infra").toString(), copy.toString()));
        // The modules the runner looks for (a container whose module exists runs as a process), and task-runner itself.
        for (String module : List.of("services/service-b", "services/inventory", "services/service-a", "services/frontend-sidecar")) {
            Files.writeString(Files.createDirectories(copy.resolve(module)).resolve("pom.xml"), "<project/>");
        }
        Path jar = LocalTopology.module("task-runner").resolve("target/task-runner.jar");
        Files.createDirectories(copy.resolve("tools/task-runner/target"));
        Files.createSymbolicLink(copy.resolve("tools/task-runner/target/task-runner.jar"), jar);
        Path stacks = copy.resolve("infra/stacks");
        Files.writeString(stacks, Files.readString(stacks).replace("\nweb ",
                "\ninventory      backend-service   ServiceName=inventory ContainerPort=9090\nweb "));
        Path web = copy.resolve("infra/templates/web.yaml");
        Files.writeString(web, Files.readString(web).replace("            - Name: SERVICE_B_DISCOVERY\n",
                "            - { Name: INVENTORY_DISCOVERY, Value: !Ref DiscoveryMode }\n            - Name: SERVICE_B_DISCOVERY\n"));
    }

    /** The runner's functions in a mode, after task-runner has resolved the copy's stacks; prints what {@code script} does. */
    private String inMode(String mode, String script) throws Exception {
        String prelude = "set -euo pipefail; ROOT=" + copy + "; cd \"$ROOT\"; "
                + "for part in common secrets services modules processes ecs vpc service-connect load-balancer trace-viewer doctor; do "
                + ". local/lib/$part.sh; done; . local/lib/mode-" + mode + ".sh; mkdir -p \"$PIDS\"; DISCOVERY=dns; "
                + "save_task_definitions; "
                // Two tasks of each backend, one web task, as started tasks are recorded.
                + "for task in service-b-1 service-b-2 inventory-1 inventory-2 web-1; do echo $task > \"$PIDS/$task.task\"; done; ";
        LocalTopology.Result result = LocalTopology.exec(List.of("bash", "-c", prelude + script), 60);
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    @Test
    void theListNamesTheServicesAndTheirKinds() throws Exception {
        assertEquals(String.join("\n", "service-b inventory web", "service-b inventory", "web", ""),
                inMode("processes", "services | paste -sd ' ' -; backends | paste -sd ' ' -; front_service"));
    }

    @Test
    void eachBackendGetsPortsAndASubnetOfItsOwn() throws Exception {
        assertEquals("127.0.0.1:8082 127.0.0.1:9082\n", inMode("processes",
                "echo $(task_address service-b 2) $(task_address inventory 2)"));
        assertEquals("198.18.2.2:8080 198.18.3.2:9090 198.18.1.1:8000\n", inMode("tasks",
                "echo $(task_address service-b 2) $(task_address inventory 2) $(task_address web 1)"));
    }

    @Test
    void theCallerIsWiredToEveryBackendItNamesByConvention() throws Exception {
        String environment = inMode("processes", "local_environment web 1 service-a | tr ' ' '\\n'");
        assertTrue(environment.contains("INVENTORY_DISCOVERY=dns\n") && environment.contains("INVENTORY_ADDRESSES=127.0.0.1:9081,127.0.0.1:9082\n")
                && environment.contains("SERVICE_B_ADDRESSES=127.0.0.1:8081,127.0.0.1:8082\n"), environment);
        String sidecar = inMode("processes", "local_environment web 1 frontend-sidecar");
        assertTrue(!sidecar.contains("INVENTORY") && !sidecar.contains("SERVICE_B"), "the sidecar calls no backend: " + sidecar);
    }

    @Test
    void serviceConnectGivesEachBackendAnAliasInTheCallersProxy() throws Exception {
        String config = inMode("processes", "cat \"$(service_connect_config 1)\"");
        assertTrue(config.contains("frontend inventory-alias\n  bind 127.255.1.1:9090\n  default_backend inventory\n"), config);
        assertTrue(config.contains("  server inventory-2 127.0.0.1:9082 check\n"), config);
        assertTrue(config.contains("frontend service-b-alias\n  bind 127.255.0.1:8080\n"), config);
        assertTrue(config.contains("option httpchk GET /q/health/ready"), config);
    }

    @Test
    void theNewBackendsOwnSecurityGroupAdmitsTheWebTasksOnItsPortOnly() throws Exception {
        String rules = inMode("tasks", "jq -c '.[] | {name, ingress: [.ingress[] | {fromPort, toPort, sourceGroup}]}' \"$STATE/inventory.security-groups.json\";"
                + " group_addresses fnr-web ''");
        assertEquals("{\"name\":\"fnr-inventory\",\"ingress\":[{\"fromPort\":9090,\"toPort\":9090,\"sourceGroup\":\"fnr-web\"}]}\n198.18.1.0/24\n", rules);
    }
}
