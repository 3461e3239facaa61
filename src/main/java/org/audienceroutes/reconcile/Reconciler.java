package org.audienceroutes.reconcile;

import org.audienceroutes.segment.SegmentReads;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Plans a whole desired-state file: each space's live state read, then diffed. */
public final class Reconciler {

    private Reconciler() {}

    /** @param runId names the reads (their commandIds and correlationId) after what they were read for */
    public static Plan plan(DesiredState desired, SegmentReads reads, Clock clock, String runId) {
        LiveStateReader reader = new LiveStateReader(reads, clock);
        List<LiveState> states = new ArrayList<>();
        for (DesiredState.Space space : desired.spaces()) {
            states.add(reader.read(space, runId));
        }
        return Planner.plan(desired.spaces(), states);
    }
}
