package org.audienceroutes.throttle;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.service.ServiceSupport;
import org.audienceroutes.catalogue.SegmentOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_OPERATION;

/**
 * Splits each endpoint's budget among the instances that have commands waiting for it: each instance posts which
 * endpoints it waits for on the {@link DemandBoard} and reads who else does, on a period. An instance with nothing
 * waiting for an endpoint holds no part of its budget; every instance orders the waiting ones the same way (by
 * id), so the parts add up to the budget exactly.
 */
public class BudgetShares extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetShares.class);

    private final DemandBoard board;
    private final String instanceId;
    private final SegmentPace pace;
    private final Duration staleAfter;
    private final Map<SegmentOperation, Share> lastShares = new EnumMap<>(SegmentOperation.class);

    public BudgetShares(DemandBoard board, String instanceId, SegmentPace pace, Duration staleAfter) {
        this.board = board;
        this.instanceId = instanceId;
        this.pace = pace;
        this.staleAfter = staleAfter;
    }

    /**
     * A command enters the Segment call: it counts as demand for its endpoint and, if this instance had not posted
     * demand for it, posts it now, so that no part is taken that another instance was not told of.
     */
    public void arriving(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        SegmentOperation operation = SegmentOperation.forCommandType(commandType)
                .orElseThrow(() -> new IllegalArgumentException("unknown command type " + commandType));
        pace.arriving(operation);
        if (!pace.posted(operation)) {
            refresh();
        }
    }

    /** Posts this instance's waiting endpoints and takes its part of each budget from who else waits. */
    public synchronized void refresh() {
        Map<SegmentOperation, Set<String>> waitingInstances = board.report(instanceId, pace.waiting(), staleAfter.toMillis() / 1000.0);
        for (SegmentOperation operation : SegmentOperation.values()) {
            Set<String> waiting = waitingInstances.getOrDefault(operation, Set.of());
            boolean othersWaiting = waiting.stream().anyMatch(id -> !id.equals(instanceId));
            Share share = shareOf(waiting, othersWaiting);
            pace.share(operation, share, othersWaiting, waiting.contains(instanceId));
            if (!share.equals(lastShares.put(operation, share)) && waiting.size() > 1) {
                LOG.info("{}: {} instances have commands waiting; this one takes part {} of the budget",
                        operation.commandType(), waiting.size(), share.place() + 1);
            }
        }
    }

    private Share shareOf(Set<String> waiting, boolean othersWaiting) {
        if (!waiting.contains(instanceId)) {
            return othersWaiting ? Share.NONE : Share.WHOLE;
        }
        List<String> ordered = waiting.stream().sorted().toList();
        return new Share(ordered.indexOf(instanceId), ordered.size());
    }

    @Override
    protected void doStop() {
        // a clean stop gives its parts back at once rather than after staleAfter
        try {
            board.withdraw(instanceId);
        } catch (RuntimeException e) {
            LOG.warn("this instance's demand was not withdrawn; it goes stale after {}: {}", staleAfter, e.toString());
        }
    }
}
