package org.audienceroutes.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dashboard compose provisions, as the queries it sends to Prometheus. */
final class GrafanaDashboard {

    static final Path FILE = Path.of("config/grafana/dashboards/segment-audience-routes.json");
    /** A query variable's Grafana function; what it asks Prometheus is the PromQL {@code count by (label) (metric)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((\\w+)\\s*,\\s*(\\w+)\\)$");

    private final JsonNode dashboard;

    private GrafanaDashboard(JsonNode dashboard) {
        this.dashboard = dashboard;
    }

    static GrafanaDashboard read() {
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every target of every panel, rows' panels included. */
    List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            panel.path("targets").forEach(target -> queries.add(new Query(panel.path("title").asText(), target.path("expr").asText())));
        }
        return queries;
    }

    /** What each query variable asks Prometheus. */
    List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : variables()) {
            if (variable.path("type").asText().equals("query")) {
                String name = "$" + variable.path("name").asText();
                Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
                if (!labelValues.matches()) {
                    throw new IllegalStateException(name + " is no label_values(metric, label) query");
                }
                queries.add(new Query(name, "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")"));
            }
        }
        return queries;
    }

    List<JsonNode> variables() {
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        return variables;
    }

    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** @param source the panel's title, or the variable's name */
    record Query(String source, String expression) {
    }
}
