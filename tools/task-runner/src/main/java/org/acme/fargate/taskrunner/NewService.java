package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A new backend service in a fork, in one step: a module in the shape of service-b (services/NAME: a resource, health,
 * JSON logs, the demo layers, a {@code @QuarkusTest}, its committed OpenAPI document), its row in infra/stacks (an
 * instance of backend-service.yaml: its own security group admitting its caller's, its Cloud Map service, task size,
 * autoscaling), and in the caller a REST client at {@code stork://NAME} with service-b's discovery modes, balancer and
 * fault tolerance, its configuration, its environment and its Cloud Map permission in the caller's template, and one
 * endpoint that calls it; then compose.yaml and the README's table of services.
 *
 * <p>Everything is checked before anything is written (a name that is taken, not a DNS label or reserved; a caller
 * that does not exist or calls nothing yet; a file it would change that has uncommitted changes), and a failure while
 * writing puts every file back: nothing half-written is left behind. Written here because no generator knows this
 * project's topology (Quarkus's CLI makes one service, not its place among others).
 */
final class NewService {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z][a-z0-9-]{0,28}[a-z0-9]");
    /** The project's own words: folders, stacks, processes of a local run, the caller's routes. */
    private static final Set<String> RESERVED = Set.of(
            "services", "libs", "tools", "infra", "local", "images", "bench", "docs", "workshop", "system-tests", "network",
            "platform", "observability", "web", "api", "load-balancer", "trace-viewer", "service-connect-proxy", "host",
            "localhost", "aws", "cloud-map", "downstream", "balancing", "discovery", "problem", "storefront");
    /** Java's, since a service's name is also a package. */
    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record",
            "yield", "sealed", "permits");
    private static final Pattern SERVICE_NAME_CONDITION = Pattern.compile("(\"servicediscovery:ServiceName\": \\[)([^\\]]*)(])");

    private final Path root;
    private final String name;
    private final String caller;
    /** The files to write: new ones, and changed ones with their new text. */
    private final Map<Path, String> writes = new LinkedHashMap<>();

    NewService(Path root, String name, String caller) {
        this.root = root.toAbsolutePath().normalize();
        this.name = name;
        this.caller = caller;
    }

    /** Checks everything, then writes everything (or nothing); returns what it wrote, relative to the root. */
    List<Path> run() {
        refuseWhatCannotBe();
        List<Stack> stacks = Stack.all(root.resolve("infra/stacks"));
        Stack callerStack = callerStack(stacks);
        Map<String, String> words = words();
        Path service = root.resolve("services").resolve(name);
        Path javaRoot = service.resolve("src/main/java").resolve(words.get("package").replace('.', '/'));
        Path testRoot = service.resolve("src/test/java").resolve(words.get("package").replace('.', '/'));
        write(service.resolve("pom.xml"), fill("service/pom.xml", words));
        write(service.resolve("README.md"), fill("service/README.md", words));
        write(service.resolve("src/main/resources/application.properties"), fill("service/application.properties", words));
        write(service.resolve("src/main/resources/items.json"), fill("service/items.json", words));
        write(service.resolve("openapi/openapi.json"), fill("service/openapi.json", words));
        write(javaRoot.resolve("Item.java"), fill("service/Item.java", words));
        write(javaRoot.resolve("Items.java"), fill("service/Items.java", words));
        write(javaRoot.resolve(words.get("Name") + "Resource.java"), fill("service/Resource.java", words));
        write(testRoot.resolve(words.get("Name") + "ResourceTest.java"), fill("service/ResourceTest.java", words));
        write(testRoot.resolve("OpenApiContractTest.java"), fill("service/OpenApiContractTest.java", words));

        Path callerModule = root.resolve("services").resolve(caller);
        Path callerJava = callerModule.resolve("src/main/java").resolve(words.get("callerPackage").replace('.', '/'));
        write(callerJava.resolve(words.get("Name") + "Client.java"), fill("caller/Client.java", words));
        write(callerJava.resolve(words.get("Name") + "Gateway.java"), fill("caller/Gateway.java", words));
        write(callerJava.resolve(words.get("Name") + "Resource.java"), fill("caller/Resource.java", words));
        Path callerProperties = callerModule.resolve("src/main/resources/application.properties");
        write(callerProperties, read(callerProperties) + fill("caller/application.properties", words));

        Path callerTemplate = callerStack.templateFile(root.resolve("infra/templates"));
        write(callerTemplate, callerTemplate(read(callerTemplate), words));
        write(root.resolve("infra/stacks"), stacksWithRow(read(root.resolve("infra/stacks")), callerStack, callerTemplate));
        write(root.resolve("pom.xml"), rootPomWithModule(read(root.resolve("pom.xml"))));
        write(root.resolve("README.md"), readmeWithRow(read(root.resolve("README.md"))));
        refuseUncommittedChanges();

        Map<Path, String> originals = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, String> write : writes.entrySet()) {
                originals.put(write.getKey(), Files.exists(write.getKey()) ? read(write.getKey()) : null);
                Files.createDirectories(write.getKey().getParent());
                Files.writeString(write.getKey(), write.getValue());
            }
            // compose.yaml follows infra/stacks and the templates as they are now.
            Path compose = root.resolve("compose.yaml");
            originals.put(compose, Files.exists(compose) ? read(compose) : null);
            Files.writeString(compose, ComposeFile.render(root.resolve("infra/stacks")));
        } catch (IOException | RuntimeException e) {
            putBack(originals);
            throw new IllegalStateException("new-service stopped and put every file back: " + e.getMessage(), e);
        }
        return originals.keySet().stream().map(root::relativize).toList();
    }

    private void refuseWhatCannotBe() {
        refuseAsAServiceName(root, name);
        Path callerModule = root.resolve("services").resolve(caller);
        if (!Files.exists(callerModule.resolve("pom.xml"))) {
            throw new IllegalArgumentException("no caller " + caller + ": services/" + caller + " does not exist");
        }
        if (!read(callerModule.resolve("src/main/resources/application.properties")).contains("=stork://")) {
            throw new IllegalArgumentException(caller + " calls no service through Stork yet: new-service wires a caller"
                    + " as service-a is wired to service-b (a REST client at stork://, its stork-cloud-map providers)");
        }
    }

    /** A new service's name (new-service's, or rename's new name for a service) is a free DNS label, not a word of ours. */
    static void refuseAsAServiceName(Path root, String name) {
        if (!DNS_LABEL.matcher(name).matches() || name.contains("--")) {
            throw new IllegalArgumentException(name + " is not a DNS label of 2-30 lower-case letters, digits and single"
                    + " hyphens, starting with a letter (it names a Cloud Map service, an image and a module)");
        }
        if (RESERVED.contains(name) || isJavaKeyword(name)) {
            throw new IllegalArgumentException(name + " is a reserved word here (a folder, stack, process or Java keyword)");
        }
        for (String group : List.of("services", "libs", "tools")) {
            if (Files.exists(root.resolve(group).resolve(name))) {
                throw new IllegalArgumentException(name + " is taken: " + group + "/" + name + " exists");
            }
        }
        if (Stack.all(root.resolve("infra/stacks")).stream().anyMatch(stack -> stack.name().equals(name)
                || name.equals(stack.parameters().get("ServiceName")))) {
            throw new IllegalArgumentException(name + " is taken: infra/stacks has it");
        }
    }

    /** The stack whose task definition runs the caller as a container. */
    private Stack callerStack(List<Stack> stacks) {
        Path templates = root.resolve("infra/templates");
        for (Stack stack : stacks) {
            Path template = stack.templateFile(templates);
            if (TaskDefinitions.hasService(template) && TaskDefinitions.read(template, stack.parameters(), TaskDefinitions.LOCAL_EXPORTS)
                    .containers().stream().anyMatch(container -> container.name().equals(caller))) {
                return stack;
            }
        }
        throw new IllegalArgumentException("no stack of infra/stacks runs " + caller + " as a container");
    }

    private Map<String, String> words() {
        String group = tag(read(root.resolve("pom.xml")), "groupId");
        String pascal = Arrays.stream(name.split("-")).map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining());
        Map<String, String> words = new LinkedHashMap<>();
        words.put("name", name);
        words.put("Name", pascal);
        // As SmallRye OpenAPI names a resource class's tag: its words, spaced (OrderHistoryResource: Order History Resource).
        words.put("Title", Arrays.stream(name.split("-")).map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining(" ")));
        words.put("field", Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1));
        words.put("PREFIX", name.toUpperCase().replace('-', '_'));
        words.put("caller", caller);
        words.put("group", group);
        words.put("base", group);
        words.put("project", tag(read(root.resolve("pom.xml")), "artifactId"));
        words.put("version", tag(read(root.resolve("pom.xml")), "version"));
        words.put("package", group + "." + name.replace("-", ""));
        words.put("callerPackage", group + ".downstream." + name.replace("-", ""));
        return words;
    }

    static boolean isJavaKeyword(String word) {
        return JAVA_KEYWORDS.contains(word);
    }

    /** The first element of that name in the pom (the project's own, ahead of any dependency). */
    static String tag(String pom, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(pom.substring(pom.indexOf("</modelVersion>")));
        if (!m.find()) {
            throw new IllegalArgumentException("the root pom has no " + element);
        }
        return m.group(1).trim();
    }

    /** The caller's container gets the downstream's environment and key; the task role may discover it by name. */
    private String callerTemplate(String template, Map<String, String> words) {
        int container = template.indexOf("        - Name: " + caller + "\n");
        int environment = container < 0 ? -1 : template.indexOf("          Environment:\n", container);
        if (environment < 0) {
            throw new IllegalArgumentException("the caller's template names no Environment for its container " + caller);
        }
        int insertAt = endOfProperty(template, environment);
        String environmentAdded = fill("caller/environment.yaml", words);
        String withEnvironment = template.substring(0, insertAt) + environmentAdded + template.substring(insertAt);
        // Its API key, from the secret the new service's stack makes: into the container's Secrets, which follow its
        // Environment (a Secrets list of its own when the container has none yet).
        int afterEnvironment = insertAt + environmentAdded.length();
        String secret = fill("caller/secrets.yaml", words);
        if (withEnvironment.startsWith("          Secrets:\n", afterEnvironment)) {
            int secretsEnd = endOfProperty(withEnvironment, afterEnvironment);
            withEnvironment = withEnvironment.substring(0, secretsEnd) + secret + withEnvironment.substring(secretsEnd);
        } else {
            withEnvironment = withEnvironment.substring(0, afterEnvironment) + "          Secrets:\n" + secret
                    + withEnvironment.substring(afterEnvironment);
        }
        Matcher condition = SERVICE_NAME_CONDITION.matcher(withEnvironment);
        if (!condition.find()) {
            throw new IllegalArgumentException("the caller's template has no \"servicediscovery:ServiceName\" condition to add " + name + " to");
        }
        return condition.replaceFirst(Matcher.quoteReplacement(condition.group(1) + condition.group(2) + ", " + name + condition.group(3)));
    }

    /** Where a container's property (its Environment, its Secrets) ends: the next line at a property's indent, or the end. */
    private static int endOfProperty(String template, int property) {
        Matcher next = Pattern.compile("\n          [A-Za-z]").matcher(template);
        return next.find(property + 1) ? next.start() + 1 : template.length();
    }

    /** A row before the caller's stack, as service-b's is before web's: deployed first, deleted last. */
    private String stacksWithRow(String stacks, Stack callerStack, Path callerTemplate) {
        String callersGroup = callersSecurityGroupExport(callerTemplate);
        String row = String.format("%-17s%-18s%s%n", name, "backend-service", "ServiceName=" + name
                + (callersGroup.equals("WebSecurityGroupId") ? "" : " CallerSecurityGroupExport=" + callersGroup));
        Matcher callerRow = Pattern.compile("(?m)^" + Pattern.quote(callerStack.name()) + "\\s").matcher(stacks);
        if (!callerRow.find()) {
            throw new IllegalArgumentException("infra/stacks has no row for " + callerStack.name());
        }
        return stacks.substring(0, callerRow.start()) + row + stacks.substring(callerRow.start());
    }

    /** The export of the caller's security group, which the new service's group admits. */
    private String callersSecurityGroupExport(Path callerTemplate) {
        Matcher m = Pattern.compile("SecurityGroups: \\[\\{ \"Fn::ImportValue\": !Sub \"\\$\\{EnvironmentName}-([A-Za-z0-9]+)\" }]")
                .matcher(read(callerTemplate));
        if (!m.find()) {
            throw new IllegalArgumentException("the caller's service attaches no security group of the platform stack's");
        }
        return m.group(1);
    }

    private String rootPomWithModule(String pom) {
        Matcher last = Pattern.compile("(?m)^(\\s*)<module>services/[^<]+</module>\\n").matcher(pom);
        int end = -1;
        String indent = "    ";
        while (last.find()) {
            end = last.end();
            indent = last.group(1);
        }
        if (end < 0) {
            throw new IllegalArgumentException("the root pom lists no module under services/");
        }
        return pom.substring(0, end) + indent + "<module>services/" + name + "</module>\n" + pom.substring(end);
    }

    /** The README's table of services (under "### services/") gets the new one, last. */
    private String readmeWithRow(String readme) {
        int table = readme.indexOf("\n### services/");
        int end = table < 0 ? -1 : readme.indexOf("\n\n", readme.indexOf("\n| ", table));
        if (end < 0) {
            throw new IllegalArgumentException("README.md has no table of services under \"### services/\"");
        }
        String row = "\n| [`" + name + "`](services/" + name + "/README.md) | a backend service called by " + caller
                + " (made by `./new-service.sh`) |";
        return readme.substring(0, end) + row + readme.substring(end);
    }

    /** Only files without uncommitted changes are changed: a fork's own edits are never overwritten. */
    private void refuseUncommittedChanges() {
        if (!Files.isDirectory(root.resolve(".git"))) {
            return;
        }
        List<String> paths = new ArrayList<>();
        writes.keySet().forEach(path -> paths.add(root.relativize(path).toString()));
        paths.add("compose.yaml");
        String changed = Git.uncommittedChanges(root, paths);
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("uncommitted changes in files new-service would change; commit or stash them first:\n" + changed);
        }
    }

    private void putBack(Map<Path, String> originals) {
        originals.forEach((path, text) -> {
            try {
                if (text == null) {
                    Files.deleteIfExists(path);
                } else {
                    Files.writeString(path, text);
                }
            } catch (IOException ignored) {
                // Best effort: the message names the failure that stopped it.
            }
        });
        deleteIfEmpty(root.resolve("services").resolve(name));
    }

    private static void deleteIfEmpty(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            List<Path> all = paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            if (all.stream().allMatch(Files::isDirectory)) {
                for (Path path : all) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException ignored) {
            // Left as it is: only empty folders were to go.
        }
    }

    private void write(Path path, String text) {
        writes.put(path, text);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A template of new-service/ with every {{word}} filled in. */
    static String fill(String template, Map<String, String> words) {
        String text;
        try (InputStream in = NewService.class.getResourceAsStream("/new-service/" + template + ".tmpl")) {
            if (in == null) {
                throw new IllegalStateException("no template new-service/" + template);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> word : words.entrySet()) {
            text = text.replace("{{" + word.getKey() + "}}", word.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalStateException("new-service/" + template + " has a word no one fills: " + text.substring(text.indexOf("{{")));
        }
        return text;
    }
}
