package org.audienceroutes.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric and label names a PromQL expression uses: enough PromQL to check a dashboard's queries, no more. */
final class PromQlNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)\\}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    /** Grafana's variables: $instance, ${instance}, $__rate_interval. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    /** A name not inside another token (the e3 of 1e3, the m of 5m). */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern CALL = Pattern.compile("\\s*\\(");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan");

    private PromQlNames() {}

    /** Names that are neither functions, aggregations, keywords nor labels. */
    static Set<String> metrics(String expression) {
        String bare = expression;
        // strings first: a label's value may hold anything, braces included
        for (Pattern notAMetric : List.of(STRING, RANGE, MATCHERS, GROUPING, VARIABLE)) {
            bare = notAMetric.matcher(bare).replaceAll(" ");
        }
        Set<String> metrics = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            boolean called = CALL.matcher(bare).region(name.end(), bare.length()).lookingAt();
            if (!called && !KEYWORDS.contains(name.group().toLowerCase(Locale.ROOT))) {
                metrics.add(name.group());
            }
        }
        return metrics;
    }

    /** Labels grouped by (by, without, on, ignoring, group_left, group_right) or matched in a selector. */
    static Set<String> labels(String expression) {
        String bare = STRING.matcher(expression).replaceAll("\"\"");
        Set<String> labels = new TreeSet<>();
        GROUPING.matcher(bare).results()
                .flatMap(grouping -> Arrays.stream(grouping.group(1).split(",")))
                .map(String::strip)
                .filter(label -> !label.isEmpty())
                .forEach(labels::add);
        MATCHERS.matcher(bare).results()
                .flatMap(selector -> MATCHER_LABEL.matcher(selector.group(1)).results())
                .map(matcher -> matcher.group(1))
                .forEach(labels::add);
        return labels;
    }
}
