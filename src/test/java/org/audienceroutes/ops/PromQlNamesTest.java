package org.audienceroutes.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlNamesTest {

    private static final String QUANTILE = "histogram_quantile(0.95, sum by (operation, le) "
            + "(rate(segment_request_seconds_bucket{instance=~\"$instance\", job!=\"x{y}\"}[$__rate_interval])))";

    @Test
    void theMetricsOfAnExpressionAreItsNamesThatAreNeitherCallsNorLabels() {
        assertThat(PromQlNames.metrics(QUANTILE)).containsExactly("segment_request_seconds_bucket");
    }

    @Test
    void aBareSelectorIsAMetricAndKeywordsAreNot() {
        assertThat(PromQlNames.metrics("commands_in_flight")).containsExactly("commands_in_flight");
        assertThat(PromQlNames.metrics("sum(rate(a_total[5m] offset 1h)) / on (job) group_left sum(b_total) > bool 1e3"))
                .containsExactly("a_total", "b_total");
    }

    @Test
    void theLabelsOfAnExpressionAreThoseItGroupsOrMatchesBy() {
        assertThat(PromQlNames.labels(QUANTILE)).containsExactly("instance", "job", "le", "operation");
        assertThat(PromQlNames.labels("commands_in_flight")).isEmpty();
    }
}
