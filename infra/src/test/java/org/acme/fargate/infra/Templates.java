package org.acme.fargate.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CloudFormationValidatePlugin;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CloudFormationValidatePluginProps;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.DefaultStackSynthesizerProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.ValidationRuleSource;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cloudformation.include.CfnInclude;
import software.amazon.awscdk.cloudformation.include.CfnIncludeProps;
import software.constructs.IConstruct;

/**
 * The templates of {@code infra/templates}, loaded the way CloudFormation will read them: through AWS CDK's
 * {@code CfnInclude}, in an app whose synthesis fails on any finding of CloudFormation's schema rules or of
 * our Guard rules ({@code infra/rules}).
 */
final class Templates {

    static final Path DIR = Path.of("templates");
    /** infra/stacks: every stack of an environment, in deploy order, as "stack template [Key=Value ...]". */
    static final Map<String, List<String>> STACKS = stacks();
    /** The stack names, in deploy order. */
    static final List<String> ALL = List.copyOf(STACKS.keySet());
    /**
     * A second instance of the backend template, under another name and port, as a fork adds a service: every check
     * of the stacks holds for it too (nothing in the template may only work when the service is service-b).
     */
    static final String ANOTHER_BACKEND = "ledger";
    private static final Map<String, List<String>> INSTANCES = instances();

    /** The stacks, and {@link #ANOTHER_BACKEND}: for tests that check every stack. */
    static java.util.stream.Stream<String> stacksAndAnotherBackend() {
        return INSTANCES.keySet().stream();
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Built once: starting the validation engine is the slow part of a synthesis. */
    private static CloudFormationValidatePlugin validation;

    private Templates() {
    }

    /** A template's text, by its name or by the name of a stack of it (service-b: backend-service.yaml). */
    static String text(String name) {
        String template = INSTANCES.containsKey(name) ? INSTANCES.get(name).get(0) : name;
        try {
            return Files.readString(DIR.resolve(template + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stack's own parameters in infra/stacks (a backend service's ServiceName). */
    static Map<String, Object> parameters(String stack) {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        INSTANCES.get(stack).stream().skip(1).map(pair -> pair.split("=", 2))
                .forEach(pair -> parameters.put(pair[0], pair[1].matches("[0-9]+") ? (Object) Integer.valueOf(pair[1]) : pair[1]));
        return parameters;
    }

    /**
     * A stack's template as CloudFormation JSON as a console user would deploy it: the stack's parameters, every
     * other parameter at its default (each one's Ref replaced by its value; see {@link #parsed}).
     */
    static JsonNode stack(String stack) {
        return stack(text(stack), parameters(stack));
    }

    /** A template's text as a stack of it: these parameters, every other at its default (broken variants). */
    static JsonNode stack(String yaml, Map<String, Object> stackParameters) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        parsed(yaml, stackParameters).path("Parameters").fields().forEachRemaining(parameter -> {
            if (parameter.getValue().has("Default")) {
                values.put(parameter.getKey(), parameter.getValue().path("Default").asText());
            }
        });
        values.putAll(stackParameters);
        return parsed(yaml, values);
    }

    /** The environment, synthesized once: each call gets a map of its own to change (broken variants). */
    private static Map<String, JsonNode> environment;

    /** Every stack of infra/stacks, by name, as {@link #stack(String)} gives it. */
    static synchronized Map<String, JsonNode> environment() {
        if (environment == null) {
            environment = new java.util.LinkedHashMap<>();
            ALL.forEach(name -> environment.put(name, stack(name)));
        }
        return new java.util.LinkedHashMap<>(environment);
    }

    private static Map<String, List<String>> instances() {
        Map<String, List<String>> instances = new java.util.LinkedHashMap<>(STACKS);
        instances.put(ANOTHER_BACKEND, List.of("backend-service", "ServiceName=" + ANOTHER_BACKEND, "ContainerPort=9090",
                "HealthCheckPath=/health/ready", "CallerSecurityGroupExport=WebSecurityGroupId"));
        return instances;
    }

    private static Map<String, List<String>> stacks() {
        Map<String, List<String>> stacks = new java.util.LinkedHashMap<>();
        try {
            Files.readAllLines(Path.of("stacks")).stream().map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(row -> !row.isEmpty()).map(row -> List.of(row.split("\\s+")))
                    .forEach(words -> stacks.put(words.get(0), words.subList(1, words.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stacks;
    }

    /**
     * Synthesizes a template the way the tests hold it to: a finding of CloudFormation's schema rules, of
     * our Guard rules or of cdk-nag's AwsSolutions pack fails synthesis with the findings in the message,
     * unless acknowledged on its resource. Returns the template as CloudFormation JSON. {@code parameters}
     * fixes parameter values, as a console user would choose them.
     */
    static JsonNode validated(String yaml, Map<String, Object> parameters) {
        App app = new App(AppProps.builder()
                .context(Map.of(
                        "@aws-cdk/core:validateAgainstDefaultRules", true,
                        "@aws-cdk/core:strictCfnValidateErrors", true,
                        "@aws-cdk/core:appMode", "inmemory"))
                .build());
        Validations.of(app).addPlugins(validation(), AwsSolutionsChecks.Builder.create(app).verbose(true).build());
        Stack stack = include(app, yaml, parameters);
        // The template's own Metadata is not part of the construct tree: read it from a plain synthesis.
        JsonNode templateMetadata = parsed(yaml, parameters).path("Metadata");
        if (templateMetadata.isObject()) {
            acknowledge(stack, "the template", JSON.convertValue(templateMetadata, Map.class));
        }
        return JSON.valueToTree(Template.fromStack(stack).toJSON());
    }

    /** The template as CloudFormation JSON, without the validation (for rules checked on broken variants). */
    static JsonNode parsed(String yaml, Map<String, Object> parameters) {
        App app = new App(AppProps.builder().context(Map.of("@aws-cdk/core:appMode", "inmemory")).build());
        return JSON.valueToTree(Template.fromStack(include(app, yaml, parameters)).toJSON());
    }

    private static Stack include(App app, String yaml, Map<String, Object> parameters) {
        try {
            Path file = Files.createTempFile("template", ".yaml");
            Files.writeString(file, yaml);
            // No CDK bootstrap parameter or rule: the synthesized template is exactly the file's.
            Stack stack = new Stack(app, "Template", StackProps.builder().synthesizer(new DefaultStackSynthesizer(
                    DefaultStackSynthesizerProps.builder().generateBootstrapVersionRule(false).build())).build());
            CfnInclude template = new CfnInclude(stack, "Included", CfnIncludeProps.builder()
                    .templateFile(file.toString()).parameters(parameters).build());
            for (IConstruct child : template.getNode().getChildren()) {
                if (child instanceof CfnResource resource && resource.getCfnOptions().getMetadata() != null) {
                    acknowledge(resource, resource.getLogicalId(), resource.getCfnOptions().getMetadata());
                }
            }
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A template carries its acknowledgments in each resource's {@code Metadata.cdk_nag.rules_to_suppress}
     * (id, reason, optional applies_to), the format cdk-nag writes to templates, so that a reader of the
     * template sees why a rule does not apply; the template's own Metadata does the same for findings on
     * outputs. CDK's validation reads acknowledgments from the construct tree instead; this hands them over.
     * Written here because cdk-nag 3 offers no reader for templates.
     */
    @SuppressWarnings("unchecked")
    private static void acknowledge(IConstruct scope, String where, Map<?, ?> metadata) {
        if (!(metadata.get("cdk_nag") instanceof Map<?, ?> nag)) {
            return;
        }
        for (Map<String, Object> rule : (List<Map<String, Object>>) nag.get("rules_to_suppress")) {
            String id = (String) rule.get("id");
            String reason = (String) rule.get("reason");
            if (reason == null || reason.strip().length() < 40) {
                throw new IllegalArgumentException(where + ": acknowledging " + id
                        + " needs a real reason (40 characters or more)");
            }
            List<String> appliesTo = (List<String>) rule.getOrDefault("applies_to", List.of());
            if (appliesTo.isEmpty()) {
                Validations.of(scope).acknowledge(Acknowledgment.builder().id(id).reason(reason).build());
            }
            for (String finding : appliesTo) {
                Validations.of(scope).acknowledge(
                        Acknowledgment.builder().id(id + "[" + finding + "]").reason(reason).build());
            }
        }
    }

    private static synchronized CloudFormationValidatePlugin validation() {
        if (validation == null) {
            try (var rules = Files.list(Path.of("rules"))) {
                List<ValidationRuleSource> guardRules = rules.filter(file -> file.toString().endsWith(".guard"))
                        .map(file -> ValidationRuleSource.builder().name(file.getFileName().toString())
                                .content(read(file)).build())
                        .toList();
                validation = new CloudFormationValidatePlugin(CloudFormationValidatePluginProps.builder()
                        .guardRules(guardRules).includeDefaultRules(true).build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return validation;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
