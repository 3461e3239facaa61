package org.audienceroutes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class EmulatorCommandTest {

    private static final String TOKEN = "emulator-test-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void defaultsToPort8090TheDemoSpaceAndSegmentsMinute() {
        EmulatorCommand command = new EmulatorCommand();

        new CommandLine(command).parseArgs("--token", TOKEN);

        assertThat(command.port).isEqualTo(8090);
        assertThat(command.token).isEqualTo(TOKEN);
        assertThat(command.spaceId).isEqualTo("spa_demo");
        assertThat(command.window).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void servesItsSpaceToTheTokenWithItsWindowAndPrintsItsBaseUrl() throws Exception {
        List<String> baseUrls = new ArrayList<>();
        List<HttpResponse<String>> answers = new ArrayList<>();
        EmulatorCommand command = new EmulatorCommand().whileListening(baseUrl -> {
            baseUrls.add(baseUrl);
            answers.add(getSpace(baseUrl, "spa_test", TOKEN));
            answers.add(getSpace(baseUrl, "spa_test", "another-token"));
        });

        int exit = run(command, "--port", "0", "--token", TOKEN, "--space", "spa_test", "--window", "2s");

        assertThat(exit).isZero();
        assertThat(baseUrls).singleElement().asString().matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(out.toString()).isEqualTo("Segment emulator listening on " + baseUrls.get(0)
                + " (space spa_test); stop it with Ctrl+C" + System.lineSeparator());
        HttpResponse<String> withToken = answers.get(0);
        assertThat(withToken.statusCode()).isEqualTo(200);
        JsonNode space = JSON.readTree(withToken.body()).at("/data/space");
        assertThat(space.get("id").asText()).isEqualTo("spa_test");
        assertThat(space.get("name").asText()).isEqualTo("Demo space");
        ZonedDateTime windowReset = ZonedDateTime.parse(withToken.headers().firstValue("X-RateLimit-Reset").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(windowReset).isBefore(ZonedDateTime.now().plusSeconds(10));
        assertThat(answers.get(1).statusCode()).isEqualTo(401);
    }

    @Test
    void closesTheEmulatorWhenItsWaitEnds() throws Exception {
        List<String> baseUrls = new ArrayList<>();
        EmulatorCommand command = new EmulatorCommand().whileListening(baseUrls::add);

        run(command, "--port", "0", "--token", TOKEN);

        assertThatThrownBy(() -> getSpace(baseUrls.get(0), "spa_demo", TOKEN)).isInstanceOf(ConnectException.class);
    }

    @Test
    void withoutATokenItExitsTwoSayingHowToGiveOne() {
        assumeThat(System.getenv("EMULATOR_TOKEN")).as("EMULATOR_TOKEN in this environment").isNull();
        List<String> baseUrls = new ArrayList<>();
        EmulatorCommand command = new EmulatorCommand().whileListening(baseUrls::add);

        int exit = run(command, "--port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("no token: set EMULATOR_TOKEN (or --token) to the token the service will present"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
        assertThat(baseUrls).isEmpty();
    }

    private int run(EmulatorCommand command, String... arguments) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(arguments);
    }

    private static HttpResponse<String> getSpace(String baseUrl, String spaceId, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/spaces/" + spaceId))
                .header("Authorization", "Bearer " + token).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
