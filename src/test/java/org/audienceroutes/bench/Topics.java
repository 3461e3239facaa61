package org.audienceroutes.bench;

import java.util.List;

/** The three topics of one scenario: each scenario has its own, so no record of another run is ever counted. */
record Topics(String commands, String results, String failures) {

    static Topics named(String prefix) {
        return new Topics(prefix + ".commands", prefix + ".results", prefix + ".failures");
    }

    List<String> all() {
        return List.of(commands, results, failures);
    }

    List<String> outcomes() {
        return List.of(results, failures);
    }
}
