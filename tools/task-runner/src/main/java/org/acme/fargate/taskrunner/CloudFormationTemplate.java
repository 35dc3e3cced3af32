package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation template read as CloudFormation resolves it for one set of parameters: its short-form tags, its
 * parameters (defaults, AllowedValues checked), the other stacks' exports (a map that plays them), and the intrinsic
 * functions the templates use: Ref, Sub, If (with Equals, And, Or, Not conditions), Select, Split, ImportValue,
 * GetAtt (as a placeholder; no resource exists locally). An export the map lacks is read where CloudFormation would
 * find it: the output of another stack of {@code infra/stacks} (beside the templates) that exports it. A Ref to a
 * secret is its ARN in {@link LocalSecrets}, the local Secrets Manager. The readers of task definitions, security groups and ECS
 * services ({@link TaskDefinitions}, {@link SecurityGroups}, {@link EcsServices}) ask it for resolved values.
 */
final class CloudFormationTemplate {

    /** What {@code !Ref AWS::NoValue} resolves to: the property, or the list entry, is left out. */
    static final Object NO_VALUE = new Object();

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    final Map<String, Object> template;
    final Map<String, String> parameters = new HashMap<>();
    private final Path path;
    private final Map<String, String> exports;

    private CloudFormationTemplate(Path path, Map<String, Object> template, Map<String, String> parameters, Map<String, String> exports) {
        this.path = path;
        this.template = template;
        this.exports = exports;
        map(template.get("Parameters")).forEach((name, definition) -> {
            Object defaultValue = map(definition).get("Default");
            if (defaultValue != null) {
                this.parameters.put(name, String.valueOf(defaultValue));
            }
        });
        parameters.forEach((name, value) -> {
            Map<String, Object> definition = map(map(template.get("Parameters")).get(name));
            List<String> allowed = list(definition.get("AllowedValues")).stream().map(String::valueOf).toList();
            // AllowedValues is checked, as CloudFormation checks it; AllowedPattern is not: a local image's name
            // is not the ECR URI the image parameters' patterns ask for.
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw new IllegalArgumentException("parameter " + name + ": " + value + " is not one of " + allowed);
            }
        });
        this.parameters.putAll(parameters);
        this.parameters.putIfAbsent("AWS::Region", "local-1");
        this.parameters.putIfAbsent("AWS::StackName", "local");
    }

    static CloudFormationTemplate load(Path template, Map<String, String> parameters, Map<String, String> exports) {
        try {
            Map<String, Object> yaml = new Yaml(new CloudFormationTags()).load(Files.readString(template));
            return new CloudFormationTemplate(template, yaml, parameters, exports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resources section's entry of a logical name: its Type, Properties, ... */
    Map<String, Object> resource(String name) {
        return map(map(template.get("Resources")).get(name));
    }

    /** A resource's Properties. */
    Map<String, Object> properties(String name) {
        return map(resource(name).get("Properties"));
    }

    List<String> resourcesOfType(String type) {
        List<String> names = new ArrayList<>();
        map(template.get("Resources")).forEach((name, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                names.add(name);
            }
        });
        return names;
    }

    /** The logical name of the resource an output exports under {@code export} ({@code Value: !Ref resource}). */
    String exportedResource(String export) {
        for (Object output : map(template.get("Outputs")).values()) {
            Map<String, Object> value = map(map(output).get("Value"));
            if (export.equals(text(map(map(output).get("Export")).get("Name"))) && value.containsKey("Ref")) {
                return String.valueOf(value.get("Ref"));
            }
        }
        throw new IllegalArgumentException("no output exports " + export + " as a Ref");
    }

    int integer(Object value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(text(value));
    }

    /** A value with every intrinsic function resolved, as text. */
    String text(Object value) {
        Object resolved = resolve(value);
        return resolved == null || resolved == NO_VALUE ? null : String.valueOf(resolved);
    }

    Object resolve(Object value) {
        if (!(value instanceof Map<?, ?> function) || function.size() != 1) {
            return value;
        }
        String name = String.valueOf(function.keySet().iterator().next());
        Object argument = function.values().iterator().next();
        return switch (name) {
            case "Ref" -> {
                String ref = String.valueOf(argument);
                if (ref.equals("AWS::NoValue")) {
                    yield NO_VALUE;
                }
                if (parameters.containsKey(ref)) {
                    yield parameters.get(ref);
                }
                if ("AWS::SecretsManager::Secret".equals(resource(ref).get("Type"))) {
                    yield LocalSecrets.arn(text(properties(ref).get("Name")));
                }
                throw new IllegalArgumentException("no value for parameter or pseudo-parameter " + ref);
            }
            case "Fn::Sub" -> sub(argument);
            case "Fn::ImportValue" -> {
                String export = text(argument);
                yield exports.containsKey(export) ? exports.get(export) : exportOfAnotherStack(export);
            }
            case "Fn::If" -> {
                List<Object> branches = list(argument);
                yield resolve(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Select" -> list(resolve(list(argument).get(1))).get(Integer.parseInt(text(list(argument).get(0))));
            case "Fn::Split" -> List.of(text(list(argument).get(1)).split(Pattern.quote(text(list(argument).get(0))), -1));
            case "Fn::GetAtt" -> "local:" + argument;
            default -> value;
        };
    }

    /** The value another stack of infra/stacks exports under this name, resolved with that stack's parameters. */
    private String exportOfAnotherStack(String export) {
        Path stacks = path.toAbsolutePath().getParent().resolveSibling("stacks");
        if (Files.isRegularFile(stacks)) {
            for (Stack stack : Stack.all(stacks)) {
                CloudFormationTemplate exporter = load(stack.templateFile(path.toAbsolutePath().getParent()), stack.parameters(), exports);
                for (Object output : map(exporter.template.get("Outputs")).values()) {
                    Map<String, Object> definition = map(output);
                    if (definition.containsKey("Export") && export.equals(exporter.text(map(definition.get("Export")).get("Name")))) {
                        return exporter.text(definition.get("Value"));
                    }
                }
            }
        }
        throw new IllegalArgumentException("no export " + export + " (the other stacks' outputs)");
    }

    private String sub(Object argument) {
        String pattern;
        Map<String, String> variables = new HashMap<>();
        if (argument instanceof List<?> parts) {
            pattern = String.valueOf(parts.get(0));
            map(parts.get(1)).forEach((name, v) -> variables.put(name, text(v)));
        } else {
            pattern = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value = variables.containsKey(variable) ? variables.get(variable)
                    : text(Map.of("Ref", variable));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        return holds(map(template.get("Conditions")).get(name), name);
    }

    private boolean holds(Object definition, String name) {
        Map<String, Object> function = map(definition);
        if (function.containsKey("Fn::Equals")) {
            List<Object> sides = list(function.get("Fn::Equals"));
            return text(sides.get(0)).equals(text(sides.get(1)));
        }
        if (function.containsKey("Fn::Or")) {
            return list(function.get("Fn::Or")).stream().anyMatch(part -> holds(part, name));
        }
        if (function.containsKey("Fn::And")) {
            return list(function.get("Fn::And")).stream().allMatch(part -> holds(part, name));
        }
        if (function.containsKey("Fn::Not")) {
            return !holds(list(function.get("Fn::Not")).get(0), name);
        }
        if (function.containsKey("Condition")) {
            return condition(String.valueOf(function.get("Condition")));
        }
        throw new IllegalArgumentException("condition " + name + " uses a function this reader does not know: " + function);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** CloudFormation's short forms ({@code !Ref x}, {@code !Sub ...}) as their long forms ({@code {Ref: x}}). */
    private static final class CloudFormationTags extends SafeConstructor {

        CloudFormationTags() {
            super(new LoaderOptions());
            for (String function : List.of("Ref", "Sub", "If", "Equals", "Select", "Split", "ImportValue", "GetAtt",
                    "Join", "Not", "And", "Or", "FindInMap", "GetAZs", "Cidr", "Base64", "Condition")) {
                String longForm = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = function.equals("GetAtt") ? List.of(scalar.getValue().split("\\.", 2)) : scalar.getValue();
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longForm, value);
                    }
                });
            }
        }
    }
}
