package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests go to segment.api-url's host only: redirects are not followed and certificates are verified. */
class OutgoingRequestsIT {

    private static HttpServer countingServer(AtomicInteger requests, int status, String location) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location + exchange.getRequestURI());
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The service with segment.api-url at a server of the test's own: its emulator is never called. */
    private static AudienceRoutes calling(String apiUrl, String name, String spaceId) throws Exception {
        return AudienceRoutes.named(name).withSetting("segment.api-url", apiUrl).withSetting("segment.default-space-id", spaceId).start();
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowed() throws Exception {
        AtomicInteger elsewhere = new AtomicInteger();
        AtomicInteger redirecting = new AtomicInteger();
        HttpServer evil = countingServer(elsewhere, 200, null);
        HttpServer redirector = countingServer(redirecting, 302, "http://localhost:" + evil.getAddress().getPort());
        try (AudienceRoutes routes = calling("http://127.0.0.1:" + redirector.getAddress().getPort(), "redirects", "spa_redirect")) {
            JsonNode outcome = routes.sendAndAwait(routes.command("redirect-1", "space.get"));
            assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
            assertThat(outcome.path("error").path("class").asText()).isEqualTo("SERVER");
            assertThat(outcome.path("error").path("httpStatus").asInt()).isEqualTo(302);
            assertThat(redirecting.get()).isEqualTo(1);
            assertThat(elsewhere.get()).isZero();
        } finally {
            redirector.stop(0);
            evil.stop(0);
        }
    }

    @Test
    void anUntrustedCertificateIsATransportFailure(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "segment", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        AtomicInteger served = new AtomicInteger();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        try (AudienceRoutes routes = calling("https://127.0.0.1:" + https.getAddress().getPort(), "tls", "spa_tls")) {
            JsonNode outcome = routes.sendAndAwait(routes.command("tls-1", "space.get"));
            assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
            assertThat(outcome.path("error").path("class").asText()).isEqualTo("TRANSPORT");
            assertThat(outcome.path("error").path("message").asText()).containsIgnoringCase("certification path");
            assertThat(served.get()).isZero();
        } finally {
            https.stop(0);
        }
    }
}
