package org.audienceroutes.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Grafana, as compose starts it, finds the dashboard and the Prometheus its panels ask. */
class GrafanaProvisioningTest {

    private static final Path DATASOURCES = Path.of("config/grafana/provisioning/datasources/prometheus.yml");
    private static final Path DASHBOARD_PROVIDERS = Path.of("config/grafana/provisioning/dashboards/dashboards.yml");

    private final JsonNode datasource = YamlFile.read(DATASOURCES).path("datasources").path(0);
    private final JsonNode services = YamlFile.read(Path.of("docker-compose.yml")).path("services");

    @Test
    void everyPanelAndVariableAsksTheProvisionedPrometheus() {
        List<JsonNode> datasources = new ArrayList<>();
        GrafanaDashboard dashboard = GrafanaDashboard.read();
        for (JsonNode panel : dashboard.panels()) {
            if (!panel.path("type").asText().equals("row")) {
                datasources.add(panel.path("datasource"));
                panel.path("targets").forEach(target -> datasources.add(target.path("datasource")));
            }
        }
        dashboard.variables().forEach(variable -> datasources.add(variable.path("datasource")));

        assertThat(datasources).isNotEmpty().allSatisfy(used -> {
            assertThat(used.path("type").asText()).isEqualTo("prometheus");
            assertThat(used.path("uid").asText()).isEqualTo(datasource.path("uid").asText());
        });
    }

    @Test
    void theDatasourceIsComposesPrometheus() {
        URI url = URI.create(datasource.path("url").asText());

        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(services.has(url.getHost())).as("compose service %s", url.getHost()).isTrue();
        assertThat(services.path(url.getHost()).path("image").asText()).startsWith("prom/prometheus:");
        assertThat(url.getPort()).isEqualTo(9090);
    }

    @Test
    void grafanaReadsTheProvisioningAndOpensTheDashboardWhereComposeMountsThem() {
        List<String> volumes = new ArrayList<>();
        services.path("grafana").path("volumes").forEach(volume -> volumes.add(volume.asText()));
        String dashboardsFolder = YamlFile.read(DASHBOARD_PROVIDERS).path("providers").path(0).path("options").path("path").asText();

        assertThat(volumes).contains(
                "./config/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./" + GrafanaDashboard.FILE.getParent() + ":" + dashboardsFolder + ":ro");
        assertThat(services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(dashboardsFolder + "/" + GrafanaDashboard.FILE.getFileName());
    }
}
