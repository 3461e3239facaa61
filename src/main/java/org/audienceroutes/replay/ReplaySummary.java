package org.audienceroutes.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where one replay stands, or what it did once finished: failure records read up to its end, those its filters
 * selected, re-published to the commands topic, parked, and skipped (by reason). A dry run counts what it would have
 * done and publishes nothing. Published to the replay status topic, keyed by replayId, with each batch.
 */
public record ReplaySummary(String replayId, boolean dryRun, boolean finished, int read, int selected, int replayed,
                            int parked, Map<String, Integer> skipped) {

    public ReplaySummary {
        skipped = Map.copyOf(skipped);
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a replay summary is always JSON", e);
        }
    }

    public static ReplaySummary fromJson(String value, ObjectMapper json) throws JsonProcessingException {
        return json.readValue(value, ReplaySummary.class);
    }

    @Override
    public String toString() {
        return "replay " + replayId + (dryRun ? " (dry run)" : "") + (finished ? "" : " (running)") + ": read " + read
                + ", selected " + selected + ", replayed " + replayed + ", parked " + parked + ", skipped " + new TreeMap<>(skipped);
    }
}
