package org.acme.fargate.taskrunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: run-local.sh --containers, the system tests and whoever wants one task call it. */
@Command(name = "task-runner", mixinStandardHelpOptions = true, subcommands = {
        TaskRunner.Create.class, TaskRunner.Run.class, TaskRunner.Show.class, TaskRunner.ShowParameters.class,
        TaskRunner.ShowSecurityGroups.class, TaskRunner.ShowService.class, TaskRunner.Resolve.class,
        TaskRunner.Compose.class, TaskRunner.Secrets.class, TaskRunner.NewServiceCommand.class, TaskRunner.RenameCommand.class},
        description = "Runs the ECS task definitions of infra/templates as podman pods, as the ECS agent runs tasks.")
public final class TaskRunner {

    public static void main(String[] arguments) {
        System.exit(new CommandLine(new TaskRunner())
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    command.getErr().println("task-runner: " + failure.getMessage());
                    return 2;
                })
                .execute(arguments));
    }

    /** Which task definition, resolved for which parameters. */
    static final class TaskDefinitionOptions {

        @Parameters(index = "0", paramLabel = "TEMPLATE", description = "A template of infra/templates, e.g. infra/templates/web.yaml")
        Path template;

        @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE",
                description = "A stack parameter (the template's defaults otherwise), e.g. -p TaskSize=256-512")
        Map<String, String> parameters = new LinkedHashMap<>();

        TaskDefinitions.Task task() {
            return TaskDefinitions.read(template, parameters, TaskDefinitions.LOCAL_EXPORTS);
        }
    }

    /** Which task definition, run as which pod. */
    static final class PodOptions {

        @Mixin
        TaskDefinitionOptions definition;

        @Option(names = "--pod", required = true, description = "The pod's name: the task's")
        String pod;

        TaskPod taskPod() {
            return new TaskPod(definition.task(), pod, LocalSecrets.beside(definition.template));
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectWriter JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter();

    private static void printJson(Object value) throws java.io.IOException {
        System.out.println(JSON.writeValueAsString(value));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates the task's pod with its task size, and prints the PID whose"
            + " network namespace it has (with --own-network: for ip netns attach, as Fargate attaches the ENI).")
    static final class Create implements Callable<Integer> {

        @Mixin
        PodOptions options;

        @Option(names = "--own-network", description = "Loopback only, for the caller to give it an interface;"
                + " otherwise podman's network")
        boolean ownNetwork;

        @Option(names = "--publish", paramLabel = "HOST_PORT:CONTAINER_PORT", description = "Publish a port on 127.0.0.1")
        Map<Integer, Integer> published = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Map<Integer, Integer> hostPorts = new HashMap<>();
            published.forEach((host, container) -> hostPorts.put(container, host));
            TaskPod task = options.taskPod();
            task.create(hostPorts, ownNetwork);
            System.out.println(task.networkNamespacePid());
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the task in the foreground as the ECS agent does: its containers in"
            + " dependsOn order, their logs on standard output, health checks, and the task stopped when an essential"
            + " container exits or fails its checks (exit 1). SIGTERM stops the task: each container stops within its"
            + " stop timeout, those that depend on others first.")
    static final class Run implements Callable<Integer> {

        @Mixin
        PodOptions options;

        @Option(names = {"-e", "--env"}, paramLabel = "CONTAINER:NAME=VALUE",
                description = "Adds to or overrides a container's environment")
        List<String> environment = new ArrayList<>();

        @Option(names = "--netns", paramLabel = "NAME", description = "The named network namespace the pod has: its"
                + " /etc/netns/NAME/resolv.conf and hosts are the containers' own, as ip netns exec would make them")
        String netns;

        @Override
        public Integer call() throws InterruptedException {
            TaskPod task = options.taskPod();
            String pod = task.name();
            TaskAgent agent = new TaskAgent(task, System.out);
            List<Process> logs = new ArrayList<>();
            Thread stopOnSignal = new Thread(() -> {
                agent.requestStop();
                System.out.println("task " + pod + ": stopping: SIGTERM");
                task.stop();
                logs.forEach(Process::destroy);
                task.remove();
                System.out.println("task " + pod + ": STOPPED");
            });
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            Map<Path, String> files = new LinkedHashMap<>();
            if (netns != null) {
                files.put(Path.of("/etc/netns", netns, "resolv.conf"), "/etc/resolv.conf");
                files.put(Path.of("/etc/netns", netns, "hosts"), "/etc/hosts");
            }
            for (String name : task.start(byContainer(environment), files)) {
                logs.add(followLogs(task.containerName(name)));
            }
            System.out.println("task " + pod + ": RUNNING");
            String stoppedReason = agent.watch();
            if (stoppedReason == null) {
                return 0; // stopped by SIGTERM: the shutdown hook stops the task
            }
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            logs.forEach(Process::destroy);
            task.remove();
            System.out.println("task " + pod + ": STOPPED: " + stoppedReason);
            return 1;
        }

        private static Process followLogs(String container) {
            try {
                return new ProcessBuilder("podman", "logs", "-f", container).inheritIO().start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static Map<String, Map<String, String>> byContainer(List<String> assignments) {
            Map<String, Map<String, String>> environment = new HashMap<>();
            for (String assignment : assignments) {
                int colon = assignment.indexOf(':');
                int equals = assignment.indexOf('=', colon + 1);
                if (colon < 1 || equals < 0) {
                    throw new CommandLine.ParameterException(new CommandLine(new Run()),
                            "--env takes CONTAINER:NAME=VALUE, not " + assignment);
                }
                environment.computeIfAbsent(assignment.substring(0, colon), c -> new LinkedHashMap<>())
                        .put(assignment.substring(colon + 1, equals), assignment.substring(equals + 1));
            }
            return environment;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the task definition, resolved, as JSON.")
    static final class Show implements Callable<Integer> {

        @Mixin
        TaskDefinitionOptions definition;

        @Override
        public Integer call() throws Exception {
            printJson(definition.task());
            return 0;
        }
    }

    @Command(name = "parameters", mixinStandardHelpOptions = true, description = "Prints a template's parameters (Default, AllowedValues, ...) as JSON.")
    static final class ShowParameters implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "TEMPLATE", description = "A template of infra/templates")
        Path template;

        @Override
        public Integer call() throws Exception {
            printJson(TaskDefinitions.parameters(template));
            return 0;
        }
    }

    @Command(name = "security-groups", mixinStandardHelpOptions = true, description = "Prints the security groups a template's ECS services attach to"
            + " their tasks, with their inbound rules, as JSON.")
    static final class ShowSecurityGroups implements Callable<Integer> {

        @Mixin
        TaskDefinitionOptions definition;

        @Option(names = "--platform", description = "The template that exports the shared groups (default: ${DEFAULT-VALUE})")
        Path platform = Path.of("infra/templates/platform.yaml");

        @Override
        public Integer call() throws Exception {
            printJson(SecurityGroups.of(definition.template, definition.parameters, platform));
            return 0;
        }
    }

    @Command(name = "service", mixinStandardHelpOptions = true, description = "Prints what the template's ECS service"
            + " deploys with (minimum healthy and maximum percent, rollback, its Cloud Map records' TTL, its target"
            + " group's health check, deregistration delay and slow start) as JSON.")
    static final class ShowService implements Callable<Integer> {

        @Mixin
        TaskDefinitionOptions definition;

        @Override
        public Integer call() throws Exception {
            printJson(EcsServices.of(definition.template, definition.parameters));
            return 0;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Writes, for each service of infra/stacks"
            + " (a stack that runs an ECS service), what show, security-groups and service print for its template and"
            + " parameters, into DIR/<stack>.json, DIR/<stack>.security-groups.json and DIR/<stack>.service.json, and"
            + " the services' names, in the list's order, into DIR/services: what run-local.sh reads, in one run.")
    static final class Resolve implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "STACKS", description = "The list of stacks, infra/stacks")
        Path stacks;

        @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE", description = "A parameter of every stack")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path templates = Stack.templatesBeside(stacks);
            List<String> names = new ArrayList<>();
            for (Stack stack : Stack.services(stacks)) {
                Path template = stack.templateFile(templates);
                Map<String, String> resolved = stack.parametersWith(parameters);
                TaskDefinitions.Task task = TaskDefinitions.read(template, resolved, TaskDefinitions.LOCAL_EXPORTS);
                JSON.writeValue(out.resolve(stack.name() + ".json").toFile(), task);
                // Every secret a container reads exists before run-local starts it (which reads .local/secrets).
                task.containers().forEach(container -> container.secrets().values().forEach(LocalSecrets.beside(template)::value));
                JSON.writeValue(out.resolve(stack.name() + ".security-groups.json").toFile(),
                        SecurityGroups.of(template, resolved, templates.resolve("platform.yaml")));
                JSON.writeValue(out.resolve(stack.name() + ".service.json").toFile(), EcsServices.of(template, resolved));
                names.add(stack.name());
            }
            java.nio.file.Files.write(out.resolve("services"), names);
            return 0;
        }
    }

    @Command(name = "secrets", mixinStandardHelpOptions = true, description = "Prints NAME=value, a line for each secret"
            + " the task definitions of infra/stacks read, for compose's --env-file (compose.yaml names them so); makes the"
            + " missing ones in .local/secrets.")
    static final class Secrets implements Callable<Integer> {

        @Option(names = "--stacks", description = "The list of stacks (default: ${DEFAULT-VALUE})")
        Path stacks = Path.of("infra/stacks");

        @Override
        public Integer call() {
            ComposeFile.secretVariables(stacks).forEach((variable, value) -> System.out.println(variable + "=" + value));
            return 0;
        }
    }

    @Command(name = "compose", mixinStandardHelpOptions = true, description = "Prints compose.yaml, made from the task definitions.")
    static final class Compose implements Callable<Integer> {

        @Option(names = "--stacks", description = "The list of stacks (default: ${DEFAULT-VALUE})")
        Path stacks = Path.of("infra/stacks");

        @Override
        public Integer call() {
            System.out.print(ComposeFile.render(stacks));
            return 0;
        }
    }

    @Command(name = "new-service", mixinStandardHelpOptions = true, description = "Adds a backend service to this"
            + " repository: its module in services/, its row in infra/stacks, and in the caller a REST client, its"
            + " configuration, environment, permission and one endpoint that calls it; then compose.yaml and the README's"
            + " table (docs/fork.md). Checks everything first; writes everything or nothing.")
    static final class NewServiceCommand implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "The service's name: a DNS label, e.g. inventory")
        String name;

        @Option(names = "--called-by", required = true, paramLabel = "SERVICE", description = "The module that calls it, e.g. service-a")
        String caller;

        @Option(names = "--root", description = "The repository (default: ${DEFAULT-VALUE})")
        Path root = Path.of(".");

        @Override
        public Integer call() {
            List<Path> written = new NewService(root, name, caller).run();
            System.out.println("New service " + name + ", called by " + caller + ":");
            written.forEach(path -> System.out.println("  " + path));
            System.out.println("Next: ./mvnw -q -pl services/" + name + " -am verify, then ./run-local.sh and"
                    + " curl -s localhost:8000/api/" + name + "/items (docs/fork.md)");
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Gives a fork its own names: its Maven group"
            + " (and base Java package), its project name, and services' names, in the text and paths of every file git"
            + " tracks (docs/fork.md). Refuses uncommitted changes; changes nothing when the names are already these.")
    static final class RenameCommand implements Callable<Integer> {

        @Option(names = "--group", paramLabel = "GROUP", description = "The Maven group and base package, e.g. com.example.shop")
        String group;

        @Option(names = "--project", paramLabel = "NAME", description = "The project's name (root artifactId), e.g. shop-on-fargate")
        String project;

        @Option(names = "--title", paramLabel = "TITLE", description = "Its title in the README, page and templates"
                + " (default: the project name's words, capitalized)")
        String title;

        @Option(names = "--service", paramLabel = "OLD=NEW", description = "A service's new name, e.g. service-b=pricing (repeatable)")
        Map<String, String> services = new LinkedHashMap<>();

        @Option(names = "--root", description = "The repository (default: ${DEFAULT-VALUE})")
        Path root = Path.of(".");

        @Override
        public Integer call() {
            if (group == null && project == null && title == null && services.isEmpty()) {
                throw new IllegalArgumentException("nothing to rename: give --group, --project or --service");
            }
            if (title != null && project == null) {
                throw new IllegalArgumentException("--title goes with --project");
            }
            List<String> changed = new Rename(root, group, project, title, services).run();
            if (changed.isEmpty()) {
                System.out.println("Nothing to rename: the names are already these.");
                return 0;
            }
            System.out.println("Renamed " + changed.size() + " files. Next: git add -A && git commit -m 'Our names', then"
                    + " ./mvnw -o package (docs/fork.md)");
            return 0;
        }
    }
}
