package org.audienceroutes.throttle;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing a token on one demand board (in memory, its entries never stale here): whatever the order
 * in which they read the board and their commands arrive, their parts of a budget never add up to more than it.
 */
class BudgetSharesTest {

    private static final SegmentOperation CREATE = SegmentOperation.AUDIENCE_CREATE;
    private static final String CREATE_TYPE = CREATE.commandType();
    private static final int LIMIT = CREATE.defaultLimit();
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration SETTLE_DELAY = Duration.ofSeconds(62);

    private final TestClock clock = new TestClock(Instant.parse("2025-03-03T09:00:00Z"));
    private final Board board = new Board();
    private final SegmentPace paceA = pace();
    private final SegmentPace paceB = pace();
    private final BudgetShares instanceA = new BudgetShares(board, "a", paceA, Duration.ofSeconds(3));
    private final BudgetShares instanceB = new BudgetShares(board, "b", paceB, Duration.ofSeconds(3));

    @Test
    void instancesThatReadTheBoardIdleAndThenGetCommandsTogetherDoNotBothTakeTheWholeBudget() {
        instanceA.refresh();
        instanceB.refresh();

        instanceA.arriving(CREATE_TYPE);
        instanceB.arriving(CREATE_TYPE);

        assertThat(paceA.part(CREATE) + paceB.part(CREATE)).isLessThanOrEqualTo(LIMIT);
        instanceA.refresh();
        assertThat(paceA.part(CREATE)).as("a, once it read b's demand").isEqualTo(LIMIT / 2);
        clock.advance(SETTLE_DELAY);
        instanceB.refresh();
        assertThat(paceB.part(CREATE)).as("b, once a's requests under its whole part aged out").isEqualTo(LIMIT - LIMIT / 2);
    }

    @Test
    void anInstanceAloneWithCommandsTakesTheWholeBudgetAtOnce() {
        instanceB.refresh();

        instanceA.arriving(CREATE_TYPE);

        assertThat(paceA.part(CREATE)).isEqualTo(LIMIT);
    }

    @Test
    void anInstanceBackOnTheBoardWithinAWindowTakesBackItsPartAtOnce() {
        bothWaitingWithTheirParts();
        paceA.sending(CREATE_TYPE);
        instanceA.refresh();
        assertThat(paceA.part(CREATE)).as("a, nothing waiting").isZero();

        clock.advance(WINDOW.minusSeconds(1));
        instanceA.arriving(CREATE_TYPE);

        assertThat(paceA.part(CREATE)).isEqualTo(LIMIT / 2);
    }

    @Test
    void anInstanceBackOnTheBoardAfterAWindowWaitsForItsPartToSettle() {
        bothWaitingWithTheirParts();
        paceA.sending(CREATE_TYPE);
        instanceA.refresh();

        clock.advance(WINDOW);
        instanceA.arriving(CREATE_TYPE);

        assertThat(paceA.part(CREATE)).isZero();
        clock.advance(SETTLE_DELAY);
        assertThat(paceA.part(CREATE)).isEqualTo(LIMIT / 2);
    }

    /** One command waiting at each instance, both parts settled. */
    private void bothWaitingWithTheirParts() {
        instanceA.arriving(CREATE_TYPE);
        instanceB.arriving(CREATE_TYPE);
        instanceA.refresh();
        clock.advance(SETTLE_DELAY);
        instanceA.refresh();
        instanceB.refresh();
        assertThat(paceA.part(CREATE)).isEqualTo(LIMIT / 2);
        assertThat(paceB.part(CREATE)).isEqualTo(LIMIT - LIMIT / 2);
    }

    private SegmentPace pace() {
        RateLimits limits = new RateLimits(key -> null);
        return new SegmentPace(limits, WINDOW, 0.25, 10, true, Duration.ofSeconds(1), Duration.ofMinutes(30),
                WINDOW, SETTLE_DELAY, clock);
    }

    /** The instances' posted demand, never stale. */
    private static final class Board implements DemandBoard {

        private final Map<String, Set<SegmentOperation>> posted = new HashMap<>();

        @Override
        public Map<SegmentOperation, Set<String>> report(String instanceId, Map<SegmentOperation, Integer> waiting, double staleAfterSeconds) {
            posted.put(instanceId, waiting.keySet());
            Map<SegmentOperation, Set<String>> instances = new EnumMap<>(SegmentOperation.class);
            posted.forEach((id, operations) -> operations.forEach(operation -> instances.computeIfAbsent(operation, o -> new TreeSet<>()).add(id)));
            return instances;
        }

        @Override
        public void withdraw(String instanceId) {
            posted.remove(instanceId);
        }
    }
}
