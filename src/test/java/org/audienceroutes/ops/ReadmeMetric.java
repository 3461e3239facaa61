package org.audienceroutes.ops;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A row of the README's metrics table. */
record ReadmeMetric(String name, String type, Set<String> labels) {

    /** Labels Prometheus adds to every series it scrapes. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    /** How Micrometer serves a histogram (a timer with a percentile histogram) as Prometheus text. */
    private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_count", "_sum", "_max");
    private static final String BUCKET = "_bucket";
    private static final String BUCKET_BOUND = "le";

    /** The names its series are served under. */
    Set<String> servedNames() {
        if (!type.equals("histogram")) {
            return Set.of(name);
        }
        Set<String> names = new HashSet<>();
        HISTOGRAM_SERIES.forEach(suffix -> names.add(name + suffix));
        return names;
    }

    /** The labels a series of it has once scraped. */
    Set<String> labelsOf(String servedName) {
        Set<String> scraped = new HashSet<>(labels);
        scraped.addAll(TARGET_LABELS);
        if (servedName.equals(name + BUCKET)) {
            scraped.add(BUCKET_BOUND);
        }
        return scraped;
    }
}
