import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The proxy case's second yardstick, not a proxy to deploy: the JVM's ceiling on this machine, below Vert.x. One
 * Netty event loop, Netty's HTTP codecs, a LIFO stack of kept-alive backend connections and the forwarded headers
 * that nginx's row has too; nothing else (no limits, no timeouts, no refusals, no problem documents, one request at
 * a time per connection, as wrk sends them). Written by hand because it is the measurement: no library is "Netty and
 * nothing more". If this row cannot reach nginx's, no JVM proxy with guards on top of it will.
 *
 * <p>{@code java -cp <frontend-sidecar's lib/main/*> BareNettyProxy.java PORT BACKEND_PORT}
 */
public class BareNettyProxy {

    /** The client connection a backend connection is answering for, while it is. */
    private static final AttributeKey<Channel> CLIENT = AttributeKey.valueOf("client");

    /** Backend connections with no request in flight; only the one event loop touches it. */
    private final ArrayDeque<Channel> idleBackends = new ArrayDeque<>();
    private final Bootstrap backend;

    private BareNettyProxy(EventLoopGroup loop, int backendPort) {
        this.backend = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress("127.0.0.1", backendPort)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new BackendAnswers());
                    }
                });
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        EventLoopGroup loop = new NioEventLoopGroup(1);
        BareNettyProxy proxy = new BareNettyProxy(loop, Integer.parseInt(args[1]));
        Channel server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(64 * 1024), proxy.new ClientRequests());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("listening on " + port);
        server.closeFuture().sync();
    }

    private final class ClientRequests extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            FullHttpRequest forwarded = request.retainedDuplicate();
            forwarded.headers().remove(HttpHeaderNames.CONNECTION)
                    .set("X-Forwarded-For", ((InetSocketAddress) context.channel().remoteAddress()).getHostString())
                    .set("X-Forwarded-Proto", "http");
            Channel client = context.channel();
            Channel idle = idleBackends.pollLast();
            if (idle != null && idle.isActive()) {
                send(idle, client, forwarded);
                return;
            }
            backend.connect().addListener((ChannelFutureListener) connected -> {
                if (connected.isSuccess()) {
                    send(connected.channel(), client, forwarded);
                } else {
                    forwarded.release();
                    FullHttpResponse badGateway = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.BAD_GATEWAY);
                    HttpUtil.setContentLength(badGateway, 0);
                    client.writeAndFlush(badGateway);
                }
            });
        }

        private void send(Channel backendConnection, Channel client, FullHttpRequest forwarded) {
            backendConnection.attr(CLIENT).set(client);
            backendConnection.writeAndFlush(forwarded);
        }
    }

    private final class BackendAnswers extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse answer) {
            Channel client = context.channel().attr(CLIENT).getAndSet(null);
            idleBackends.addLast(context.channel());
            answer.headers().remove(HttpHeaderNames.CONNECTION);
            if (client != null && client.isActive()) {
                client.writeAndFlush(answer.retain());
            }
        }
    }
}
