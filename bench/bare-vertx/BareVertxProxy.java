import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The proxy case's yardstick, not a proxy to deploy: what one Vert.x event loop does when it proxies and nothing
 * else, on the same Vert.x and Netty as frontend-sidecar (run with its libraries). No router, no refusals, no
 * limits, no timeouts, no problem documents: only the keep-alive pool of 64 and the forwarded headers that nginx's
 * row has too. The distance between this row and frontend-sidecar's is what the sidecar's design costs; the
 * distance between this row and nginx's is what the JVM and Vert.x cost (BareNettyProxy's row tells the two apart).
 *
 * <p>{@code java -cp <frontend-sidecar's lib/main/*> BareVertxProxy.java PORT BACKEND_PORT}
 */
public class BareVertxProxy {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        RequestOptions backend = new RequestOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[1]));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> client.request(new RequestOptions(backend)
                                .setMethod(request.method()).setURI(request.uri()))
                        .compose(proxied -> {
                            proxied.headers().addAll(request.headers()).remove("Connection")
                                    .set("X-Forwarded-For", request.remoteAddress().hostAddress())
                                    .set("X-Forwarded-Proto", "http");
                            return proxied.send();
                        })
                        .onSuccess(answer -> relay(request, answer))
                        .onFailure(failed -> request.response().setStatusCode(502).end()))
                .listen()
                .onSuccess(server -> System.out.println("listening on " + port))
                .onFailure(failed -> {
                    failed.printStackTrace();
                    System.exit(1);
                });
    }

    private static void relay(HttpServerRequest request, HttpClientResponse answer) {
        request.response().setStatusCode(answer.statusCode()).headers().addAll(answer.headers()).remove("Connection");
        answer.body().onSuccess(request.response()::end).onFailure(failed -> request.response().reset());
    }
}
