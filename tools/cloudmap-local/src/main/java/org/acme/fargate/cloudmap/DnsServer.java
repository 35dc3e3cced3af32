package org.acme.fargate.cloudmap;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * The DNS server of the private namespaces, on UDP (127.0.0.1:8053 by default): locally it plays the
 * VPC resolver (the ".2" address) that tasks on AWS query. One thread is plenty: every answer is
 * computed from memory, and a bad packet is answered or dropped, never allowed to stop the loop.
 */
@ApplicationScoped
public class DnsServer {

    private final DnsAnswers answers;
    private final CloudMapConfig config;
    private volatile DatagramSocket socket;

    DnsServer(DnsAnswers answers, CloudMapConfig config) {
        this.answers = answers;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(config.dns().host(), config.dns().port()));
        } catch (SocketException e) {
            throw new UncheckedIOException("Cannot listen for DNS on udp " + config.dns().host() + ":"
                    + config.dns().port() + " (in use?)", e);
        }
        Thread loop = new Thread(this::serve, "dns-server");
        loop.setDaemon(true);
        loop.start();
        Log.infof("DNS listening on udp %s:%d", config.dns().host(), socket.getLocalPort());
    }

    void stop(@Observes ShutdownEvent event) {
        if (socket != null) {
            socket.close();
        }
    }

    /** The port actually bound (tests configure port 0). */
    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                answers.answer(query).ifPresent(reply -> send(reply, packet));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    Log.debug("DNS receive failed", e);
                }
            } catch (RuntimeException e) {
                Log.warn("DNS query could not be answered", e);
            }
        }
    }

    private void send(byte[] reply, DatagramPacket to) {
        try {
            socket.send(new DatagramPacket(reply, reply.length, to.getSocketAddress()));
        } catch (IOException e) {
            Log.debug("DNS reply failed", e);
        }
    }
}
