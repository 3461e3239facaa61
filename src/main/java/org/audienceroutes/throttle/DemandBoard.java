package org.audienceroutes.throttle;

import org.audienceroutes.catalogue.SegmentOperation;

import java.util.Map;
import java.util.Set;

/** Where the instances sharing a token say which Segment endpoints they have commands waiting for. */
public interface DemandBoard {

    /**
     * Replaces this instance's entries with {@code waiting} and returns, per endpoint, the instances with commands
     * waiting for it (this one included), leaving out entries not renewed within {@code staleAfter} seconds.
     */
    Map<SegmentOperation, Set<String>> report(String instanceId, Map<SegmentOperation, Integer> waiting, double staleAfterSeconds);

    /** Removes this instance's entries (a clean stop). */
    void withdraw(String instanceId);
}
