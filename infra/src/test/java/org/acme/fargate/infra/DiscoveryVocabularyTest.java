package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One word per way of finding service-b, the same everywhere a user meets it: service-a's SERVICE_B_DISCOVERY,
 * the templates' DiscoveryMode, deploy.sh and run-local.sh's --discovery, and the docs. The templates offer one
 * fewer, on purpose: no static (a fixed address list is for tests and local runs; on Fargate tasks come and go).
 */
class DiscoveryVocabularyTest {

    private static final Path ROOT = Path.of("..");

    static Set<String> serviceAModes() throws IOException {
        Set<String> modes = new TreeSet<>();
        for (String key : ServiceConfigConsistencyTest.properties("service-a").stringPropertyNames()) {
            if (key.startsWith("service-b.stork-provider.")) {
                modes.add(key.substring("service-b.stork-provider.".length()));
            }
        }
        return modes;
    }

    /** The words of the first {@code ^(a|b|c)$} check of --discovery in a script. */
    static Set<String> scriptModes(String script) throws IOException {
        Matcher matcher = Pattern.compile("\\^\\(([a-z|-]+)\\)\\$ \\]\\] \\|\\| fail \"--discovery").matcher(
                Files.readString(ROOT.resolve(script)));
        assertTrue(matcher.find(), script + " checks --discovery");
        return new TreeSet<>(Set.of(matcher.group(1).split("\\|")));
    }

    static Set<String> templateModes(String template) {
        Set<String> modes = new TreeSet<>();
        JsonNode parsed = Templates.parsed(Templates.text(template), Map.of());
        parsed.path("Parameters").path("DiscoveryMode").path("AllowedValues").forEach(mode -> modes.add(mode.asText()));
        return modes;
    }

    @Test
    void everyPlaceUsesServiceAsWords() throws IOException {
        Set<String> all = serviceAModes();
        assertEquals(Set.of("dns", "cloud-map", "service-connect", "static"), all);
        Set<String> onAws = new TreeSet<>(all);
        onAws.remove("static");
        assertEquals(onAws, templateModes("web"));
        assertEquals(onAws, templateModes("service-b"));
        assertEquals(onAws, scriptModes("infra/deploy.sh"));
        assertEquals(all, scriptModes("run-local.sh"));
    }

    @Test
    void theDocsAndTheReadmeNameTheSameModes() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/discovery.md"));
        String header = guide.lines().filter(line -> line.startsWith("| |")).findFirst().orElseThrow();
        Set<String> documented = new TreeSet<>();
        Matcher matcher = Pattern.compile("`([a-z-]+)`").matcher(header);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        Set<String> onAws = new TreeSet<>(serviceAModes());
        onAws.remove("static");
        assertEquals(onAws, documented, "docs/discovery.md's table of modes");
        assertTrue(guide.contains("`static`"), "docs/discovery.md says what static is for");
        String readme = Files.readString(ROOT.resolve("services/service-a/README.md"));
        String row = readme.lines().filter(line -> line.contains("`SERVICE_B_DISCOVERY`")).findFirst().orElseThrow();
        for (String mode : serviceAModes()) {
            assertTrue(row.contains("`" + mode + "`"), "service-a's README names " + mode + ": " + row);
        }
    }
}
