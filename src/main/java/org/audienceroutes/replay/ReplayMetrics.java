package org.audienceroutes.replay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What replays did, counted as each batch commits: records replayed, parked and skipped, and commands parked. */
public class ReplayMetrics {

    private final Counter replayed;
    private final Counter parkedRecords;
    private final Counter skipped;
    private final Counter parkedCommands;

    public ReplayMetrics(MeterRegistry meters) {
        replayed = records(meters, "replayed");
        parkedRecords = records(meters, "parked");
        skipped = records(meters, "skipped");
        parkedCommands = Counter.builder("commands.parked").description("Commands parked after replay.max-replays replays")
                .register(meters);
    }

    void committed(int replayedInBatch, int parkedInBatch, int skippedInBatch) {
        replayed.increment(replayedInBatch);
        parkedRecords.increment(parkedInBatch);
        skipped.increment(skippedInBatch);
        parkedCommands.increment(parkedInBatch);
    }

    private static Counter records(MeterRegistry meters, String result) {
        return Counter.builder("replay.records").description("Failure records replays handled, by result")
                .tag("result", result).register(meters);
    }
}
