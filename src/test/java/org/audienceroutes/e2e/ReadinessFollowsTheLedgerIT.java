package org.audienceroutes.e2e;

import org.audienceroutes.ledger.LedgerDatabase;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on a ledger database of its own, which the test stops and starts again: the instance turns not ready
 * with the reason while the database is gone, and ready again once it is back, without a restart.
 */
class ReadinessFollowsTheLedgerIT {

    private static final Path LEDGER_DATA = temporaryDirectory();
    private static final int LEDGER_PORT = FreePort.onLoopback();
    private static LedgerDatabase ledger = LedgerDatabase.embedded(LEDGER_DATA, LEDGER_PORT);

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("readiness-ledger")
            .withSetting("ledger.jdbc-url", "jdbc:postgresql://127.0.0.1:" + LEDGER_PORT + "/postgres")
            .withSetting("ledger.username", "postgres");

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopTheLedger() {
        ledger.close();
    }

    @Test
    void notReadyWithTheReasonWhileTheLedgersDatabaseIsGoneAndReadyOnceItIsBack() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ready().statusCode() == 200);

        ledger.close();
        HttpResponse<String> gone = await().atMost(Duration.ofSeconds(30)).until(this::ready, response -> response.statusCode() == 503);
        ledger = LedgerDatabase.embedded(LEDGER_DATA, LEDGER_PORT);

        assertThat(gone.body()).contains("ledger-database").contains("the ledger's database");
        await().atMost(Duration.ofSeconds(60)).until(() -> ready().statusCode() == 200);
    }

    private HttpResponse<String> ready() throws IOException, InterruptedException {
        String port = routes.service().camelContext().getPropertiesComponent().resolveProperty("camel.management.port").orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("readiness-ledger");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
