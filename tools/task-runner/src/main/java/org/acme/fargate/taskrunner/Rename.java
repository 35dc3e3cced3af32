package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
 * A fork's own names, in one step: its Maven group (which is its base Java package too, as Maven's convention has it),
 * its project name (the root artifactId, and its title in the README, the page and the templates' descriptions), and a
 * service's name, in every form the code spells it (for a service named order-history: {@code order-history} in
 * modules, stacks, Cloud Map and images, {@code ORDER_HISTORY_} in the environment, {@code orderHistory} and
 * {@code OrderHistory} in Java, {@code orderhistory} in ids). Every file git tracks is renamed in its text and its
 * path, so code, templates, scripts, docs, compose.yaml and tests move together.
 *
 * <p>The names it replaces are read from the fork as it is (the root pom's groupId, artifactId and name), so a second
 * run with the same names changes nothing, and a run to other names renames again. It refuses a tree with uncommitted
 * changes (the rename is one commit of its own), a name that is not one, a service that does not exist, a new name a
 * service could not have (new-service's rules) and a file that would land on another; a failure while writing puts
 * every file back. Written here because renaming a Maven project is a search and replace that must know this
 * project's spellings of a name; no refactoring tool works across poms, templates, scripts and Markdown.
 */
final class Rename {

    private static final Pattern GROUP = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

    private final Path root;
    private final String group;
    private final String project;
    private final String title;
    private final Map<String, String> services;

    /** Any of group, project and title may be null: that name stays as it is. */
    Rename(Path root, String group, String project, String title, Map<String, String> services) {
        this.root = root.toAbsolutePath().normalize();
        this.group = group;
        this.project = project;
        this.title = title != null ? title : project == null ? null : titleOf(project);
        this.services = services;
    }

    /** A title from a project name: shop-on-fargate is "Shop On Fargate". */
    static String titleOf(String project) {
        return Arrays.stream(project.split("-")).map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
                .collect(Collectors.joining(" "));
    }

    /** Checks everything, then renames everything (or nothing); returns the files it changed, as they are named now. */
    List<String> run() {
        List<Replacement> replacements = replacements();
        if (replacements.isEmpty()) {
            return List.of();
        }
        Map<String, String> moves = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (String file : Git.trackedFiles(root)) {
            Path path = root.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            String renamed = apply(replacements, file);
            byte[] bytes = readBytes(path);
            if (!isBinary(bytes)) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                String replaced = apply(replacements, text);
                if (!replaced.equals(text)) {
                    texts.put(file, replaced);
                }
            }
            if (!renamed.equals(file)) {
                if (Files.exists(root.resolve(renamed))) {
                    throw new IllegalArgumentException(file + " would be renamed to " + renamed + ", which exists");
                }
                moves.put(file, renamed);
            }
        }
        if (texts.isEmpty() && moves.isEmpty()) {
            return List.of();
        }
        String uncommitted = Git.uncommittedChanges(root, List.of());
        if (!uncommitted.isEmpty()) {
            throw new IllegalArgumentException("uncommitted changes; rename is a commit of its own, commit or stash them first:\n" + uncommitted);
        }
        return write(texts, moves);
    }

    private List<String> write(Map<String, String> texts, Map<String, String> moves) {
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        Map<Path, Set<PosixFilePermission>> modes = new LinkedHashMap<>();
        List<Path> created = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        try {
            for (String file : union(texts.keySet(), moves.keySet())) {
                Path from = root.resolve(file);
                Path to = root.resolve(moves.getOrDefault(file, file));
                byte[] original = readBytes(from);
                originals.put(from, original);
                modes.put(from, Files.getPosixFilePermissions(from));
                Files.createDirectories(to.getParent());
                Files.write(to, texts.containsKey(file) ? texts.get(file).getBytes(StandardCharsets.UTF_8) : original);
                if (!to.equals(from)) {
                    created.add(to);
                    Files.setPosixFilePermissions(to, modes.get(from));
                    Files.delete(from);
                }
                changed.add(root.relativize(to).toString());
            }
        } catch (IOException | RuntimeException e) {
            created.forEach(path -> path.toFile().delete());
            originals.forEach((path, bytes) -> {
                try {
                    Files.createDirectories(path.getParent());
                    Files.write(path, bytes);
                    if (modes.containsKey(path)) {
                        Files.setPosixFilePermissions(path, modes.get(path));
                    }
                } catch (IOException ignored) {
                    // Best effort: the message names the failure that stopped it.
                }
            });
            throw new IllegalStateException("rename stopped and put every file back: " + e.getMessage(), e);
        }
        moves.keySet().forEach(file -> deleteEmptyFolders(root.resolve(file).getParent()));
        return changed;
    }

    /** What to replace, each name checked first; an empty list when every name is already the fork's. */
    private List<Replacement> replacements() {
        String pom = read(root.resolve("pom.xml"));
        List<Replacement> replacements = new ArrayList<>();
        if (group != null) {
            String current = NewService.tag(pom, "groupId");
            if (!GROUP.matcher(group).matches() || Arrays.stream(group.split("\\.")).anyMatch(NewService::isJavaKeyword)) {
                throw new IllegalArgumentException(group + " is not a Maven group that is also a Java package (lower-case"
                        + " words separated by dots, at least two, no Java keyword), e.g. com.example.shop");
            }
            if (!current.equals(group)) {
                replacements.add(Replacement.word(current, group, "A-Za-z0-9_"));
                replacements.add(Replacement.word(current.replace('.', '/'), group.replace('.', '/'), "A-Za-z0-9_"));
            }
        }
        if (project != null) {
            if (!PROJECT.matcher(project).matches()) {
                throw new IllegalArgumentException(project + " is not a project name: lower-case letters, digits and hyphens,"
                        + " starting with a letter, e.g. shop-on-fargate");
            }
            String current = NewService.tag(pom, "artifactId");
            if (!current.equals(project)) {
                replacements.add(Replacement.word(current, project, "a-z0-9"));
            }
            String currentTitle = NewService.tag(pom, "name");
            if (!currentTitle.equals(title)) {
                replacements.add(Replacement.word(currentTitle, title, "A-Za-z0-9"));
            }
        }
        services.forEach((from, to) -> {
            if (from.equals(to)) {
                return;
            }
            boolean renamed = !Files.exists(root.resolve("services").resolve(from).resolve("pom.xml"))
                    && Files.exists(root.resolve("services").resolve(to).resolve("pom.xml"));
            if (renamed) {
                return;
            }
            if (!Files.exists(root.resolve("services").resolve(from).resolve("pom.xml"))) {
                throw new IllegalArgumentException("no service " + from + ": services/" + from + " does not exist");
            }
            NewService.refuseAsAServiceName(root, to);
            replacements.addAll(spellings(from, to));
        });
        return replacements;
    }

    /** A service's name as the code spells it, each form only where it is a whole word of its kind. */
    static List<Replacement> spellings(String from, String to) {
        List<Replacement> forms = new ArrayList<>();
        forms.add(Replacement.word(from, to, "A-Za-z0-9"));
        forms.add(Replacement.word(from.replace('-', '_'), to.replace('-', '_'), "A-Za-z0-9"));
        forms.add(Replacement.word(from.toUpperCase().replace('-', '_'), to.toUpperCase().replace('-', '_'), "A-Za-z0-9"));
        // The flat form is in ids, followed by digits (cloudmap-local's srv-...00000001).
        forms.add(Replacement.word(from.replace("-", ""), to.replace("-", ""), "A-Za-z"));
        // Java's: orderHistory starts an identifier; OrderHistory may follow a lower-case hump (everyOrderHistoryCall),
        // and either ends where a capital or a non-letter starts (OrderHistoryStandIn, but not orderHistoryless).
        String pascalFrom = pascal(from);
        String pascalTo = pascal(to);
        forms.add(new Replacement(Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(camel(pascalFrom)) + "(?![a-z0-9])"), camel(pascalTo)));
        forms.add(new Replacement(Pattern.compile("(?<![A-Z0-9])" + Pattern.quote(pascalFrom) + "(?![a-z0-9])"), pascalTo));
        Map<String, Replacement> distinct = new LinkedHashMap<>();
        forms.forEach(form -> distinct.putIfAbsent(form.pattern().pattern(), form));
        return List.copyOf(distinct.values());
    }

    private static String pascal(String name) {
        return Arrays.stream(name.split("-")).map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining());
    }

    private static String camel(String pascal) {
        return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    }

    private static String apply(List<Replacement> replacements, String text) {
        for (Replacement replacement : replacements) {
            text = replacement.pattern().matcher(text).replaceAll(Matcher.quoteReplacement(replacement.replacement()));
        }
        return text;
    }

    /** One name to replace, where it is not part of a longer word (the characters around it are not of {@code word}). */
    record Replacement(Pattern pattern, String replacement) {

        static Replacement word(String from, String to, String word) {
            return new Replacement(Pattern.compile("(?<![" + word + "])" + Pattern.quote(from) + "(?![" + word + "])"), to);
        }
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private void deleteEmptyFolders(Path folder) {
        for (Path current = folder; current != null && current.startsWith(root) && !current.equals(root); current = current.getParent()) {
            String[] children = current.toFile().list();
            if (children == null || children.length > 0 || !current.toFile().delete()) {
                return;
            }
        }
    }

    private static List<String> union(Set<String> first, Set<String> second) {
        List<String> all = new ArrayList<>(first);
        second.stream().filter(file -> !first.contains(file)).forEach(all::add);
        return all;
    }

    private static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }
}
