package org.audienceroutes.cli;

import org.audienceroutes.app.Settings;
import org.audienceroutes.cli.MetricSamples.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Prints, from a running instance's /observe/metrics, each endpoint's budget, its use in the current window, "
                + "its 429s and the commands waiting for it, and the outcomes by status and class.")
public class StatusCommand implements Callable<Integer> {

    private static final String ROW = "%-26s %7s %6s %6s %8s%n";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", description = "the instance's management server (default: http://<camel.management.host>:<camel.management.port>)")
    String url;

    @Option(names = "--all", description = "every endpoint, not only those with requests, 429s or waiting commands")
    boolean all;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "5s", converter = CamelDurationConverter.class,
            description = "print again every this long (default when given: ${FALLBACK-VALUE}) until interrupted")
    Duration watch;

    private final Settings settings = Settings.load(Map.of());
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        do {
            MetricSamples metrics;
            try {
                metrics = MetricSamples.parse(scrape());
            } catch (IOException unreachable) {
                spec.commandLine().getErr().println("no instance answers at " + metricsUrl() + ": " + unreachable.getMessage());
                return 1;
            }
            print(metrics, out);
            out.flush();
            if (watch != null) {
                Thread.sleep(watch.toMillis());
            }
        } while (watch != null);
        return 0;
    }

    private void print(MetricSamples metrics, PrintWriter out) {
        out.printf(ROW, "endpoint", "budget", "used", "429s", "waiting");
        TreeSet<String> operations = new TreeSet<>();
        metrics.named("segment_pace_limit").forEach(sample -> operations.add(sample.labels().get("operation")));
        for (String operation : operations) {
            Map<String, String> label = Map.of("operation", operation);
            double budget = metrics.sum("segment_pace_limit", label);
            double used = metrics.sum("segment_budget_used_ratio", label) * budget;
            double rateLimited = metrics.sum("segment_rate_limited_total", label);
            double waiting = metrics.sum("segment_waiting_commands", label);
            if (all || used > 0 || rateLimited > 0 || waiting > 0) {
                out.printf(ROW, operation, whole(budget), whole(used), whole(rateLimited), whole(waiting));
            }
        }
        Map<String, Double> failedByClass = new TreeMap<>();
        for (Sample sample : metrics.named("command_outcomes_total")) {
            if ("FAILED".equals(sample.labels().get("status"))) {
                failedByClass.merge(sample.labels().get("class"), sample.value(), Double::sum);
            }
        }
        out.printf("outcomes: SUCCEEDED %s, FAILED %s%s, duplicates %s%n",
                whole(metrics.sum("command_outcomes_total", Map.of("status", "SUCCEEDED"))),
                whole(metrics.sum("command_outcomes_total", Map.of("status", "FAILED"))), classes(failedByClass),
                whole(metrics.sum("command_duplicates_total", Map.of())));
        out.printf("in flight %s, consumer lag %s, parked %s%n", whole(metrics.sum("commands_in_flight", Map.of())),
                whole(metrics.sum("commands_consumer_lag", Map.of())), whole(metrics.sum("commands_parked_total", Map.of())));
    }

    /** " (NOT_FOUND 3, VALIDATION 1)", or nothing without failures. */
    private static String classes(Map<String, Double> failedByClass) {
        if (failedByClass.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (");
        failedByClass.forEach((failureClass, count) -> text.append(text.length() > 2 ? ", " : "").append(failureClass).append(' ').append(whole(count)));
        return text.append(')').toString();
    }

    private static String whole(double value) {
        return Long.toString(Math.round(value));
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(metricsUrl())).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    private String metricsUrl() {
        String base = url != null ? url
                : "http://" + settings.get("camel.management.host", "127.0.0.1") + ":" + settings.get("camel.management.port", "9876");
        return base.replaceAll("/+$", "") + "/observe/metrics";
    }
}
