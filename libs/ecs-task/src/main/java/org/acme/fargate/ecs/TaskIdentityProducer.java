package org.acme.fargate.ecs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Decides once, at start-up, who this container is: from ECS task metadata on AWS, from local facts elsewhere. */
@ApplicationScoped
public class TaskIdentityProducer {

    @Produces
    @Singleton
    @Startup // fail at start-up, not on the first request, when the ECS metadata endpoint cannot be read
    TaskIdentity taskIdentity(EcsTaskConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        TaskIdentity identity = config.metadataUri()
                .filter(uri -> !uri.isBlank())
                .map(uri -> new EcsTaskMetadata(json).fetch(uri, config.containerName(), port))
                .orElseGet(() -> new TaskIdentity(config.containerName(), config.localTaskId(),
                        config.localAvailabilityZone(), config.localPrivateIp().orElseGet(
                                TaskIdentityProducer::firstSiteLocalIpv4), port, config.localTaskDefinition()));
        Log.infof("Serving as %s", identity);
        return identity;
    }

    private static String firstSiteLocalIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            Log.debug("Cannot list network interfaces", e);
        }
        return "127.0.0.1";
    }
}
