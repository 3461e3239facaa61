package org.audienceroutes.ops;

import org.audienceroutes.ops.GrafanaDashboard.Query;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard queries what the service serves: the README's metrics table, with the table's labels. */
class DashboardMetricsTest {

    private final List<ReadmeMetric> table = Readme.metricsTable();
    private final GrafanaDashboard dashboard = GrafanaDashboard.read();

    @Test
    void theReadmeTableIsReadRowByRow() {
        ReadmeMetric first = table.get(0);

        assertThat(first.name()).isEqualTo("segment_requests_total");
        assertThat(first.type()).isEqualTo("counter");
        assertThat(first.labels()).containsExactlyInAnyOrder("operation", "status");
        assertThat(table).extracting(ReadmeMetric::name).contains("segment_request_seconds", "commands_parked_total");
    }

    @Test
    void everyMetricAQueryAsksForIsServed() {
        Set<String> served = servedNames().keySet();

        assertThat(allQueries()).allSatisfy(query -> assertThat(PromQlNames.metrics(query.expression()))
                .as("metrics of %s: %s", query.source(), query.expression())
                .isNotEmpty()
                .isSubsetOf(served));
    }

    @Test
    void everyMetricOfTheReadmeTableHasAPanel() {
        Set<String> queried = dashboard.panelQueries().stream()
                .flatMap(query -> PromQlNames.metrics(query.expression()).stream())
                .collect(Collectors.toSet());

        assertThat(table)
                .filteredOn(metric -> Collections.disjoint(metric.servedNames(), queried))
                .extracting(ReadmeMetric::name)
                .as("metrics of the README table no panel shows")
                .isEmpty();
    }

    @Test
    void everyLabelAQueryGroupsOrMatchesByIsALabelOfItsMetrics() {
        Map<String, ReadmeMetric> served = servedNames();

        assertThat(allQueries()).allSatisfy(query -> {
            Set<String> labels = new HashSet<>();
            // a metric not served fails everyMetricAQueryAsksForIsServed
            PromQlNames.metrics(query.expression()).stream().filter(served::containsKey)
                    .forEach(metric -> labels.addAll(served.get(metric).labelsOf(metric)));
            assertThat(PromQlNames.labels(query.expression()))
                    .as("labels of %s: %s", query.source(), query.expression())
                    .isSubsetOf(labels);
        });
    }

    private List<Query> allQueries() {
        return Stream.concat(dashboard.panelQueries().stream(), dashboard.variableQueries().stream()).toList();
    }

    /** Each name a series is served under, and the table's row it belongs to. */
    private Map<String, ReadmeMetric> servedNames() {
        return table.stream()
                .flatMap(metric -> metric.servedNames().stream().map(name -> Map.entry(name, metric)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
