package org.acme.fargate.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the task metadata endpoint v4 ({@code $ECS_CONTAINER_METADATA_URI_V4/task}).
 *
 * <p>Only the fields this project needs: {@code TaskARN} (its last segment is the task id),
 * {@code AvailabilityZone} (Fargate only) and {@code Containers[].Networks[].IPv4Addresses}. In awsvpc mode
 * every container of a task shares one ENI, so any container's address is the task's address.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html
 */
public final class EcsTaskMetadata {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ObjectMapper json;
    private final HttpClient http;

    public EcsTaskMetadata(ObjectMapper json) {
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Fetches and parses the task document; fails loudly, because a task that cannot say who it is is misconfigured. */
    public TaskIdentity fetch(String metadataUri, String containerName, int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(metadataUri + "/task")).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ECS task metadata endpoint answered " + response.statusCode());
            }
            return parse(response.body(), containerName, port);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read ECS task metadata from " + metadataUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading ECS task metadata", e);
        }
    }

    public TaskIdentity parse(String taskDocument, String containerName, int port) throws IOException {
        JsonNode task = json.readTree(taskDocument);
        String taskArn = task.path("TaskARN").asText("");
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        String zone = task.path("AvailabilityZone").asText("unknown");
        String taskDefinition = task.path("Family").asText("unknown") + ":" + task.path("Revision").asText("unknown");
        return new TaskIdentity(containerName, taskId, zone, privateIp(task, containerName), port, taskDefinition);
    }

    private static String privateIp(JsonNode task, String containerName) {
        String anyContainersIp = "unknown";
        for (JsonNode container : task.path("Containers")) {
            for (JsonNode network : container.path("Networks")) {
                JsonNode addresses = network.path("IPv4Addresses");
                if (addresses.isArray() && !addresses.isEmpty()) {
                    if (containerName.equals(container.path("Name").asText())) {
                        return addresses.get(0).asText();
                    }
                    anyContainersIp = addresses.get(0).asText();
                }
            }
        }
        return anyContainersIp;
    }
}
