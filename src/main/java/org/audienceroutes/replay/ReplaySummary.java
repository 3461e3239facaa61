package org.audienceroutes.replay;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one replay did: failure records read up to its end, those its filters selected, re-published to the commands
 * topic, parked, and skipped (by reason). A dry run counts what it would have done and publishes nothing.
 */
public record ReplaySummary(String replayId, boolean dryRun, int read, int selected, int replayed, int parked,
                            Map<String, Integer> skipped) {

    public ReplaySummary {
        skipped = Map.copyOf(skipped);
    }

    @Override
    public String toString() {
        return "replay " + replayId + (dryRun ? " (dry run)" : "") + ": read " + read + ", selected " + selected
                + ", replayed " + replayed + ", parked " + parked + ", skipped " + new TreeMap<>(skipped);
    }
}
