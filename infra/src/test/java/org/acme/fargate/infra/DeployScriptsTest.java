package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** infra/deploy.sh and infra/destroy.sh, run with --dry-run exactly as docs/deploy.md writes them. */
class DeployScriptsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f2b4c6d-1234-4abc-9def-0123456789ab";
    private static final String WAF_ACL = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0a1b2c3d-1111-2222-3333-444455556666";

    record Run(int exitCode, String output) {
    }

    static Run bash(String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CERTIFICATE_ARN", CERTIFICATE);
        builder.environment().put("WAF_ACL_ARN", WAF_ACL);
        builder.environment().remove("AWS_REGION");
        builder.environment().remove("AWS_DEFAULT_REGION");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    @Test
    void theDryRunDeploysTheFiveStacksInOrderWithTheImagesItBuilds() throws Exception {
        Run run = bash("infra/deploy.sh --dry-run --arch ARM64 --discovery cloud-map");
        assertEquals(0, run.exitCode(), run.output());
        List<String> commands = run.output().lines().filter(line -> line.startsWith("+ ")).toList();
        assertEquals(3, commands.stream().filter(c -> c.contains("ecr create-repository")).count(), run.output());
        String build = commands.stream().filter(c -> c.contains("mvnw")).findFirst().orElseThrow();
        assertTrue(build.contains("-Dquarkus.container-image.push=true") && build.contains("linux/arm64"), build);
        List<String> stacks = new ArrayList<>();
        Matcher m = Pattern.compile("cloudformation deploy --stack-name fnr-([a-z-]+) --template-file \\S+/infra/templates/([a-z-]+)\\.yaml")
                .matcher(run.output());
        while (m.find()) {
            stacks.add(m.group(1));
            assertEquals(Templates.STACKS.get(m.group(1)).get(0), m.group(2), "each stack from its template in infra/stacks");
            assertTrue(Files.exists(ROOT.resolve("infra/templates/" + m.group(2) + ".yaml")));
        }
        assertEquals(List.of("network", "platform", "service-b", "web", "observability"), stacks);
        assertTrue(run.output().contains("--template-file " + ROOT + "/infra/templates/backend-service.yaml --capabilities CAPABILITY_IAM"
                + " --no-fail-on-empty-changeset --tags project=fargate-networking-reference --parameter-overrides EnvironmentName=fnr"
                + " ServiceName=service-b "), "service-b is an instance of the backend template, named by its row:\n" + run.output());
        String tag = build.replaceAll(".*-Dquarkus.container-image.tag=(\\S+).*", "$1");
        assertTrue(run.output().contains("ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fnr/service-b:" + tag),
                "service-b is deployed with the image just built");
        assertTrue(run.output().contains("DiscoveryMode=cloud-map CpuArchitecture=ARM64") || run.output().contains("CpuArchitecture=ARM64 DiscoveryMode=cloud-map"));
    }

    /**
     * The images deploy.sh pushes carry the start-up aids of the ones images/build-images.sh builds and the system
     * tests run: both are image builds (which, by ecs-task's properties, make the AppCDS archive and name it in the
     * entrypoint), neither overrides what shapes the JVM's start, and deploy.sh makes the archive on the image's platform.
     */
    @Test
    void theDeployedImagesCarryTheSameStartUpAidsAsTheLocalOnes() throws Exception {
        Properties imageContract = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve("libs/ecs-task/src/main/resources/META-INF/microprofile-config.properties"))) {
            imageContract.load(in);
        }
        assertTrue(imageContract.getProperty("quarkus.jib.jvm-entrypoint").startsWith("java,-XX:SharedArchiveFile=/deployments/app-cds.jsa,"),
                imageContract.toString());
        assertEquals("${quarkus.container-image.build:false}", imageContract.getProperty("quarkus.package.jar.appcds.enabled"));

        String deployed = bash("infra/deploy.sh --dry-run --arch ARM64").output().lines()
                .filter(line -> line.startsWith("+ ") && line.contains("mvnw")).findFirst().orElseThrow();
        String local = Files.readString(ROOT.resolve("images/build-images.sh"));
        for (String build : List.of(deployed, local)) {
            assertTrue(build.contains("-Dquarkus.container-image.build=true"), build);
            assertEquals(List.of(), startUpOverrides(build), "a build that changes the image's start");
        }
        assertTrue(deployed.startsWith("+ env DOCKER_DEFAULT_PLATFORM=linux/arm64 "), deployed);
        // Broken variants: what would ship an image that starts otherwise.
        assertEquals(List.of("quarkus.package.jar.appcds.enabled"), startUpOverrides(deployed + " -Dquarkus.package.jar.appcds.enabled=false"));
        assertEquals(List.of("QUARKUS_JIB_JVM_ENTRYPOINT"), startUpOverrides("QUARKUS_JIB_JVM_ENTRYPOINT=java " + deployed));
    }

    /** The settings of a build command that would change how the image's JVM starts, in either of Quarkus's spellings. */
    private static List<String> startUpOverrides(String build) {
        Matcher m = Pattern.compile("quarkus\\.package\\.jar\\.(appcds|aot)\\.enabled|quarkus\\.jib\\.(jvm-[a-z-]+|environment-variables)"
                + "|QUARKUS_PACKAGE_JAR_(APPCDS|AOT)_ENABLED|QUARKUS_JIB_(JVM_[A-Z_]+|ENVIRONMENT_VARIABLES)").matcher(build);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void theDryRunDestroysInReverseOrderAndRemovesTheImages() throws Exception {
        Run run = bash("infra/destroy.sh --dry-run");
        assertEquals(0, run.exitCode(), run.output());
        List<String> deleted = run.output().lines().filter(line -> line.contains("delete-stack"))
                .map(line -> line.replaceAll(".*--stack-name fnr-", "")).toList();
        assertEquals(List.of("observability", "web", "service-b", "platform", "network"), deleted);
        assertEquals(3, run.output().lines().filter(line -> line.contains("ecr delete-repository") && line.contains("--force")).count());
        assertTrue(run.output().contains("+ aws logs describe-log-groups --log-group-name-prefix /fnr/"), "the kept log groups go last");
        assertEquals(5, run.output().lines().filter(line -> line.contains("--no-enable-termination-protection")).count(), run.output());
        assertTrue(run.output().indexOf("modify-load-balancer-attributes") > 0
                && run.output().indexOf("modify-load-balancer-attributes") < run.output().indexOf("delete-stack --stack-name fnr-platform"),
                "the load balancer's deletion protection is lifted before its stack goes");
        assertTrue(run.output().contains("+ aws s3 rb"), "the access-log bucket goes with the logs");
        assertFalse(bash("infra/destroy.sh --dry-run --keep-logs").output().contains("aws logs"), "unless kept");
    }

    @Test
    void everyFlagReachesTheParametersOfItsStacks() throws Exception {
        Run run = bash("infra/deploy.sh --dry-run --zones 3 --certificate-arn \"$CERTIFICATE_ARN\" --domain shop.example.com"
                + " --hosted-zone-id Z0123456789ABCDEFGHIJ --waf-acl-arn \"$WAF_ACL_ARN\" --access-logs disabled --deletion-protection disabled"
                + " --collector-image-uri 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel-collector:v0.49.0 --spot --tracing enabled --trace-sampler ratio");
        assertEquals(0, run.exitCode(), run.output());
        String platform = deployOf(run, "platform");
        for (String parameter : List.of("AvailabilityZoneCount=3", "CertificateArn=" + CERTIFICATE, "DomainName=shop.example.com",
                "HostedZoneId=Z0123456789ABCDEFGHIJ", "WebAclArn=" + WAF_ACL, "AccessLogs=disabled", "DeletionProtection=disabled")) {
            assertTrue(platform.contains(" " + parameter), parameter + " in " + platform);
        }
        for (String stack : List.of("service-b", "web")) {
            assertTrue(deployOf(run, stack).contains(" CapacityProvider=spot"), deployOf(run, stack));
            assertTrue(deployOf(run, stack).contains(" AvailabilityZoneCount=3")
                    && deployOf(run, stack).contains(" CollectorImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel-collector:v0.49.0"), deployOf(run, stack));
        }
        assertTrue(deployOf(run, "web").contains(" Https=enabled"), "with a certificate, web serves on 443");
        assertTrue(deployOf(run, "web").contains(" TracingSampler=ratio") && !deployOf(run, "service-b").contains("TracingSampler"),
                "the entry point's stack alone says which requests are traced");
        assertEquals(5, run.output().lines().filter(line -> line.contains("--enable-termination-protection")).count(), run.output());
        assertFalse(deployOf(bash("infra/deploy.sh --dry-run"), "web").contains("CollectorImageUri"), "the template's default otherwise");
    }

    private static String deployOf(Run run, String stack) {
        return run.output().lines().filter(line -> line.contains("cloudformation deploy --stack-name fnr-" + stack + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no deploy of " + stack + ":\n" + run.output()));
    }

    @Test
    void badOptionsGetOneClearLine() throws Exception {
        assertEquals(2, bash("infra/deploy.sh --bogus").exitCode());
        Run noEgress = bash("infra/deploy.sh --dry-run --nat none");
        assertEquals(1, noEgress.exitCode());
        assertTrue(noEgress.output().contains("--nat none needs --endpoints enabled"), noEgress.output());
        assertTrue(bash("infra/deploy.sh --dry-run --certificate-arn nope").output().contains("--certificate-arn:"));
        assertTrue(bash("infra/deploy.sh --dry-run --domain shop.example.com").output().contains("--domain needs --hosted-zone-id"));
        assertTrue(bash("infra/deploy.sh --dry-run --collector-image-uri docker.io/otel:1").output().contains("--collector-image-uri:"));
        assertTrue(bash("infra/deploy.sh --dry-run --trace-sampler sometimes").output().contains("--trace-sampler: xray, ratio or always"));
    }

    @Test
    void everyCommandOfTheGuideRunsAsADryRun() throws Exception {
        String guide = Files.readString(ROOT.resolve("docs/deploy.md"));
        List<String> commands = guide.lines().map(String::strip)
                .filter(line -> line.startsWith("infra/deploy.sh") || line.startsWith("infra/destroy.sh"))
                .map(line -> line.replaceAll("\\s+#.*$", ""))
                .toList();
        assertTrue(commands.size() >= 6, commands.toString());
        for (String command : commands) {
            String dryRun = command.contains("--dry-run") ? command : command + " --dry-run";
            Run run = bash(dryRun);
            assertEquals(0, run.exitCode(), dryRun + "\n" + run.output());
            assertTrue(run.output().contains("+ aws "), dryRun);
        }
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertTrue(block.find(), "docs/deploy.md has its dry-run block");
        assertEquals(0, bash(block.group(1)).exitCode());
    }
}
