package org.audienceroutes.reconcile;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.throttle.RateLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PacingEstimateTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration MARGIN = Duration.ofMillis(250);

    @Test
    void tenCreatesFitOneWindowOfTheDefaultLimitAndTheEleventhWaitsForTheNext() {
        RateLimits defaults = new RateLimits(key -> null);

        assertThat(PacingEstimate.of(creates(10), defaults, WINDOW, MARGIN).total()).isZero();
        assertThat(PacingEstimate.of(creates(11), defaults, WINDOW, MARGIN).total()).isEqualTo(WINDOW.plus(MARGIN));
    }

    @Test
    void fiveCreatesAtTwoAWindowTakeTwoWindowsAndWhatHangsUnderThemComesAfter() {
        RateLimits two = new RateLimits(Map.of(SegmentOperation.AUDIENCE_CREATE.limitPropertyKey(), "2", SegmentOperation.DESTINATION_ADD.limitPropertyKey(), "1")::get);
        Plan plan = PlannerTest.plan(PlannerTest.FIVE_AUDIENCES, PlannerTest.empty());

        PacingEstimate pacing = PacingEstimate.of(plan, two, WINDOW, MARGIN);

        assertThat(pacing.slowest()).extracting(PacingEstimate.Step::wave, PacingEstimate.Step::operation, PacingEstimate.Step::requests, PacingEstimate.Step::time)
                .containsExactly(
                        tuple(1, SegmentOperation.AUDIENCE_CREATE, 5, WINDOW.plus(MARGIN).multipliedBy(2)),
                        tuple(2, SegmentOperation.DESTINATION_ADD, 2, WINDOW.plus(MARGIN)));
        assertThat(pacing.total()).isEqualTo(WINDOW.plus(MARGIN).multipliedBy(3));
    }

    private static Plan creates(int count) {
        StringBuilder file = new StringBuilder("spaces:\n  spa_1:\n    audiences:\n");
        for (int i = 0; i < count; i++) {
            file.append("      A").append(i).append(": { audienceType: USERS, definition: { query: q } }\n");
        }
        return PlannerTest.plan(file.toString(), PlannerTest.empty());
    }
}
