package org.audienceroutes.throttle;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_OPERATION;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_TURN;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_TURN_WAIT;
import static org.audienceroutes.throttle.SegmentPace.CONSUMED;
import static org.audienceroutes.throttle.SegmentPace.REMAINING;
import static org.audienceroutes.throttle.SegmentPace.RESET;
import static org.audienceroutes.throttle.SegmentPace.RETRY_AFTER;

/**
 * Every rule of {@link SegmentPace}, on a clock that only moves when the test says so. The endpoint under
 * test is configured at 20 requests per 60 s window: floor 0.25 × 20 = 5, ceiling 10 × 20 = 200, a 429's
 * penalty 0.75 × 20 = 15; no wait lasts over 30 min. Waits offered by Segment in one answer differ, so each
 * test tells which one won.
 */
class SegmentPaceTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final String CREATE = SegmentOperation.AUDIENCE_CREATE.commandType();
    private static final String GET = SegmentOperation.AUDIENCE_GET.commandType();
    private static final int CONFIGURED = 20;
    private static final int FLOOR = 5;
    private static final int CEILING = 200;
    private static final int PENALTY = 15;
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(1000);
    private static final Duration MAX_WAIT = Duration.ofMinutes(30);
    private static final Duration SETTLE_DELAY = Duration.ofSeconds(62);
    private static final RateLimits LIMITS = new RateLimits(Map.of(
            SegmentOperation.AUDIENCE_CREATE.limitPropertyKey(), Integer.toString(CONFIGURED))::get);

    private final TestClock clock = new TestClock(Instant.parse("2025-03-03T09:00:00Z"));
    private final SegmentPace pace = pace(true);

    private SegmentPace pace(boolean adaptive) {
        return new SegmentPace(LIMITS, WINDOW, 0.25, 10, adaptive, INITIAL_BACKOFF, MAX_WAIT, WINDOW, SETTLE_DELAY, clock);
    }

    // --- the budget: configured, learned, bounded ---

    @Test
    void startsFromTheConfiguredLimit() {
        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED);
    }

    @Test
    void learnsTheBudgetFromConsumedPlusRemaining() {
        answer(200).budget(4, 26).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(30);
    }

    @Test
    void keepsALearnedBudgetAtLeastFloorFactorTimesConfigured() {
        answer(200).budget(0, 1).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(FLOOR);
    }

    @Test
    void keepsALearnedBudgetAtMostCeilingFactorTimesConfigured() {
        answer(200).budget(0, 1000).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(CEILING);
    }

    @Test
    void learnsNothingUnlessBothConsumedAndRemainingAreGiven() {
        answer(200).header(REMAINING, "26").observedBy(pace);
        answer(200).header(CONSUMED, "4").observedBy(pace);
        answer(200).header(CONSUMED, "4").header(REMAINING, "lots").observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED);
    }

    @Test
    void keepsTheConfiguredLimitWhateverTheHeadersSayWhenNotAdaptive() {
        SegmentPace fixed = pace(false);

        answer(200).budget(4, 26).observedBy(fixed);
        assertThat(fixed.limitFor(CREATE)).isEqualTo(CONFIGURED);

        answer(200).budget(0, 1).observedBy(fixed);
        assertThat(fixed.limitFor(CREATE)).isEqualTo(CONFIGURED);
    }

    @Test
    void eachEndpointHasItsOwnPace() {
        answer(200).budget(4, 26).observedBy(pace);
        answer(429).header(RETRY_AFTER, "7").observedBy(pace);

        assertThat(pace.limitFor(GET)).isEqualTo(SegmentOperation.AUDIENCE_GET.defaultLimit());
        assertThat(pace.holdMillis(command(GET))).isZero();
    }

    @Test
    void refusesAnUnknownCommandType() {
        assertThatThrownBy(() -> pace.limitFor("audience.explode"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown command type audience.explode");
    }

    // --- the split between instances with commands waiting for the endpoint ---

    @Test
    void eachWaitingInstanceTakesItsPartOfTheTokensBudget() {
        postedAlone();
        sharedBy(new Share(0, 3));
        assertThat(pace.limitFor(CREATE)).isEqualTo(7);

        answer(200).budget(6, 60).observedBy(pace);
        assertThat(pace.limitFor(CREATE)).isEqualTo(22);
    }

    @Test
    void thePartsAddUpToTheBudgetExactly() {
        assertThat(IntStream.range(0, 3).map(place -> new Share(place, 3).of(25)).sum()).isEqualTo(25);
        assertThat(IntStream.range(0, 2).map(place -> new Share(place, 2).of(25)).toArray()).containsExactly(13, 12);
    }

    @Test
    void withMoreInstancesThanTheBudgetTheLastTakeNothingAndTheWholeStaysTheBudget() {
        // audiencePreview.create: 5 a minute, 6 instances waiting
        assertThat(IntStream.range(0, 6).map(place -> new Share(place, 6).of(5)).toArray()).containsExactly(1, 1, 1, 1, 1, 0);
    }

    @Test
    void aSmallerPartAppliesAtOnce() {
        postedAlone();
        sharedBy(new Share(1, 2));

        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED / 2);
    }

    @Test
    void aLargerPartWaitsUntilTheOthersRequestsLeftTheWindow() {
        postedAlone();
        sharedBy(new Share(1, 2));
        pace.share(SegmentOperation.AUDIENCE_CREATE, Share.WHOLE, false, true);
        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED / 2);

        clock.advance(SETTLE_DELAY.minusMillis(1));
        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED / 2);
        clock.advance(Duration.ofMillis(1));
        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED);
    }

    @Test
    void aLoneInstanceTakesTheWholeBudgetAtOnce() {
        pace.share(SegmentOperation.AUDIENCE_CREATE, Share.WHOLE, false, true);

        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED);
        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void withoutAPartACommandIsHeldUntilItsPartIsDue() {
        pace.share(SegmentOperation.AUDIENCE_CREATE, Share.NONE, true, false);
        assertThat(pace.part(SegmentOperation.AUDIENCE_CREATE)).isZero();

        pace.share(SegmentOperation.AUDIENCE_CREATE, new Share(0, 2), true, true);
        clock.advance(Duration.ofSeconds(10));
        assertThat(holdOfANewCommand()).isEqualTo(SETTLE_DELAY.minusSeconds(10).toMillis());
    }

    @Test
    void anInstanceThatPostsWhileOthersWaitHasNoPartUntilTheWindowSettled() {
        sharedBy(new Share(1, 2));

        assertThat(pace.part(SegmentOperation.AUDIENCE_CREATE)).isZero();
        assertThat(holdOfANewCommand()).isEqualTo(SETTLE_DELAY.toMillis());
        clock.advance(SETTLE_DELAY);
        assertThat(pace.part(SegmentOperation.AUDIENCE_CREATE)).isEqualTo(CONFIGURED / 2);
    }

    @Test
    void commandsBeyondThePermitsOfTheWindowAreHeldUntilTheirTurn() {
        postedAlone();
        for (int i = 0; i < CONFIGURED; i++) {
            assertThat(holdOfANewCommand()).as("command %d: a permit of this window", i).isZero();
        }
        assertThat(holdOfANewCommand()).as("the first permit frees a window later").isEqualTo(WINDOW.toMillis());
        clock.advance(Duration.ofSeconds(15));
        assertThat(holdOfANewCommand()).as("the second permit, less the time gone").isEqualTo(WINDOW.minusSeconds(15).toMillis());
    }

    @Test
    void commandsWaitingForAPartToComeTakeTheTurnsOfThatPart() {
        sharedBy(new Share(1, 2));

        for (int i = 0; i < CONFIGURED / 2; i++) {
            assertThat(holdOfANewCommand()).as("command %d: when the part is due", i).isEqualTo(SETTLE_DELAY.toMillis());
        }
        assertThat(holdOfANewCommand()).as("past the part: a window later").isEqualTo(SETTLE_DELAY.plus(WINDOW).toMillis());
    }

    @Test
    void countsTheCommandsWaitingForEachEndpoint() {
        pace.arriving(SegmentOperation.AUDIENCE_CREATE);
        pace.arriving(SegmentOperation.AUDIENCE_CREATE);
        pace.arriving(SegmentOperation.AUDIENCE_GET);
        pace.sending(CREATE);

        assertThat(pace.waiting()).containsOnly(entry(SegmentOperation.AUDIENCE_CREATE, 1), entry(SegmentOperation.AUDIENCE_GET, 1));
    }

    /** Posted its demand and found no other instance waiting: the whole budget. */
    private void postedAlone() {
        pace.share(SegmentOperation.AUDIENCE_CREATE, Share.WHOLE, false, true);
    }

    private void sharedBy(Share share) {
        pace.share(SegmentOperation.AUDIENCE_CREATE, share, true, true);
    }

    // --- Remaining 0: someone else spends the token's budget ---

    @Test
    void holdsUntilTheResetWhenTheBudgetIsGoneBeforeThisInstanceSpentItsShare() {
        send(3);
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(25_000);
        clock.advance(Duration.ofSeconds(10));
        assertThat(holdOfANewCommand()).isEqualTo(15_000);
        clock.advance(Duration.ofSeconds(15));
        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void holdsForAWindowWhenTheBudgetIsGoneWithoutAReset() {
        answer(200).budget(20, 0).observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(WINDOW.toMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "in a minute", "1741078800"})
    void holdsForAWindowWhenTheResetIsNotAnHttpDate(String reset) {
        answer(200).budget(20, 0).header(RESET, reset).observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(WINDOW.toMillis());
    }

    @Test
    void holdsForNoLongerThanTheMaximumWaitWhateverTheReset() {
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofHours(2))).observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(MAX_WAIT.toMillis());
    }

    @Test
    void doesNotHoldWhenThisInstanceSpentItsShareItself() {
        send(20);
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void anInstanceThatSpentItsShareOfASplitBudgetIsNotHeld() {
        postedAlone();
        sharedBy(new Share(0, 2));
        send(10);
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void doesNotHoldWhileRequestsRemain() {
        answer(200).budget(19, 1).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void sendsOlderThanAWindowNoLongerCountAsSpent() {
        send(20);
        clock.advance(WINDOW.plusSeconds(1));
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(25_000);
    }

    @Test
    void sendsExactlyOneWindowOldStillCountAsSpent() {
        send(20);
        clock.advance(WINDOW);
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(25))).observedBy(pace);

        assertThat(holdOfANewCommand()).isZero();
    }

    // --- 429: how long to wait ---

    @Test
    void a429WaitsForRetryAfterBeforeMsBeforeNext() {
        Exchange answer = answer(429).header(RETRY_AFTER, "7").header(RESET, resetIn(Duration.ofSeconds(30)))
                .errorData("{\"msBeforeNext\":4500}").observedBy(pace);

        assertThat(redeliveryDelay(answer)).isEqualTo(7_000L);
    }

    @Test
    void a429WithoutRetryAfterWaitsForMsBeforeNextBeforeTheReset() {
        Exchange answer = answer(429).header(RESET, resetIn(Duration.ofSeconds(30)))
                .errorData("{\"msBeforeNext\":4500}").observedBy(pace);

        assertThat(redeliveryDelay(answer)).isEqualTo(4_500L);
    }

    @Test
    void a429WithoutRetryAfterOrMsBeforeNextWaitsUntilTheReset() {
        Exchange answer = answer(429).header(RESET, resetIn(Duration.ofSeconds(30)))
                .errorData("{\"consumedPoints\":20}").observedBy(pace);

        assertThat(redeliveryDelay(answer)).isEqualTo(30_000L);
    }

    /** The attempts property counts the requests made, this one included (absent only outside the route). */
    @ParameterizedTest
    @CsvSource(nullValues = "absent", value = {
            "absent, 1000",
            "1,      1000",
            "2,      2000",
            "3,      4000",
            "11,     1024000",
            "16,     1024000"})
    void a429WithoutAnyWaitBacksOffExponentiallyFromTheInitialDelay(Integer requestsMade, long base) {
        Exchange answer = answer(429).errorData("{\"consumedPoints\":20}").requestsMade(requestsMade)
                .observedBy(pace);

        assertThat(redeliveryDelay(answer)).isBetween(base, base + base / 2);
    }

    @Test
    void a429WaitsNoLongerThanTheMaximumWait() {
        Exchange answer = answer(429).header(RETRY_AFTER, "7200").observedBy(pace);

        assertThat(redeliveryDelay(answer)).isEqualTo(MAX_WAIT.toMillis());
        assertThat(holdOfANewCommand()).isEqualTo(MAX_WAIT.toMillis());
    }

    @Test
    void a429BackoffHasJitter() {
        Set<Long> waits = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            waits.add(redeliveryDelay(answer(429).observedBy(pace)));
        }

        assertThat(waits).hasSizeGreaterThan(1).allSatisfy(wait -> assertThat(wait).isBetween(1_000L, 1_500L));
    }

    @Test
    void a429HoldsTheEndpointForItsWait() {
        answer(429).header(RETRY_AFTER, "7").observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(7_000);
        clock.advance(Duration.ofSeconds(7));
        assertThat(holdOfANewCommand()).isZero();
    }

    @Test
    void a429DoesNotShortenALongerHold() {
        answer(200).budget(20, 0).header(RESET, resetIn(Duration.ofSeconds(30))).observedBy(pace);
        answer(429).header(RETRY_AFTER, "2").observedBy(pace);

        assertThat(holdOfANewCommand()).isEqualTo(30_000);
    }

    @Test
    void onlyA429SetsTheRedeliveryDelay() {
        assertThat(redeliveryDelay(answer(200).budget(20, 0).observedBy(pace))).isNull();
        assertThat(redeliveryDelay(answer(503).header(RETRY_AFTER, "7").observedBy(pace))).isNull();
    }

    // --- 429: the penalty and what it teaches about the budget ---

    @Test
    void a429LowersThePaceToThreeQuartersForItsWaitAndOneWindow() {
        answer(429).header(RETRY_AFTER, "5").observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(PENALTY);
        clock.advance(Duration.ofSeconds(5).plus(WINDOW).minusMillis(1));
        assertThat(pace.limitFor(CREATE)).isEqualTo(PENALTY);
        clock.advance(Duration.ofMillis(1));
        assertThat(pace.limitFor(CREATE)).isEqualTo(CONFIGURED);
    }

    @Test
    void a429LowersThePaceAlsoWhenNotAdaptive() {
        SegmentPace fixed = pace(false);

        answer(429).header(RETRY_AFTER, "5").observedBy(fixed);

        assertThat(fixed.limitFor(CREATE)).isEqualTo(PENALTY);
    }

    @Test
    void repeated429sLowerThePaceNoFurtherThanTheFloor() {
        for (int i = 0; i < 6; i++) {
            answer(429).header(RETRY_AFTER, "1").observedBy(pace);
        }

        assertThat(pace.limitFor(CREATE)).isEqualTo(FLOOR);
    }

    @Test
    void a429sConsumedPointsCapTheBudgetLearnedAfterIt() {
        answer(429).header(RETRY_AFTER, "1").errorData("{\"consumedPoints\":12}").observedBy(pace);
        clock.advance(Duration.ofSeconds(1).plus(WINDOW));

        answer(200).budget(10, 40).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(12);
    }

    @Test
    void a429sCapOnTheBudgetEndsTwoWindowsAfterItsWaitWhenTheHeadersShowMoreRoom() {
        answer(429).header(RETRY_AFTER, "1").errorData("{\"consumedPoints\":12}").observedBy(pace);
        clock.advance(Duration.ofSeconds(1).plus(WINDOW.multipliedBy(2)));

        answer(200).budget(10, 40).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(50);
    }

    @Test
    void a429sRetryAfterAsAnHttpDateIsWaitedFor() {
        Exchange answer = answer(429).header(RETRY_AFTER, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(9).atZone(ZoneOffset.UTC))).observedBy(pace);

        assertThat(redeliveryDelay(answer)).isEqualTo(9_000L);
    }

    @Test
    void a429WithoutConsumedPointsCapsNothing() {
        answer(429).header(RETRY_AFTER, "1").errorData("{\"consumedPoints\":0}").observedBy(pace);
        clock.advance(Duration.ofSeconds(1).plus(WINDOW));

        answer(200).budget(10, 40).observedBy(pace);

        assertThat(pace.limitFor(CREATE)).isEqualTo(50);
    }

    // --- turns: a request counts from Segment's answer; a waiting command is looked at again when it wakes ---

    @Test
    void aRequestCountsFromSegmentsAnswerNotFromWhenItLeft() {
        postedAlone();
        Exchange[] sent = sendAll(CONFIGURED);
        clock.advance(Duration.ofSeconds(5));
        for (Exchange request : sent) {
            answer(200).of(request).observedBy(pace);
        }

        clock.advance(WINDOW.minusSeconds(5));
        assertThat(holdOfANewCommand()).as("the requests were answered 5 s after they left").isEqualTo(5_000);
    }

    @Test
    void aCommandWhoseTurnCameBeforeTheRequestsAheadWereAnsweredWaitsForThem() {
        postedAlone();
        Exchange[] sent = sendAll(CONFIGURED);
        Exchange waiting = command();
        assertThat(pace.holdMillis(waiting)).isEqualTo(WINDOW.toMillis());
        clock.advance(Duration.ofSeconds(2));
        for (Exchange request : sent) {
            answer(200).of(request).observedBy(pace);
        }

        clock.advance(WINDOW.minusSeconds(2));
        assertThat(pace.holdMillis(waiting)).as("woken at its turn, the requests ahead were answered 2 s late").isEqualTo(2_000);
        clock.advance(Duration.ofSeconds(2));
        assertThat(pace.holdMillis(waiting)).isZero();
        assertThat(waiting.getProperty(SEGMENT_TURN_WAIT, Long.class)).isZero();
    }

    @Test
    void aCommandGivenItsTurnUnderALargerPartIsLookedAtAgainUnderTheSmallerOne() {
        postedAlone();
        for (int i = 0; i < CONFIGURED; i++) {
            holdOfANewCommand();
        }
        Exchange[] waiting = IntStream.range(0, CONFIGURED).mapToObj(i -> command()).toArray(Exchange[]::new);
        for (Exchange command : waiting) {
            assertThat(pace.holdMillis(command)).isEqualTo(WINDOW.toMillis());
        }
        sharedBy(new Share(0, 2));

        clock.advance(WINDOW);
        for (int i = 0; i < CONFIGURED / 2; i++) {
            assertThat(pace.holdMillis(waiting[i])).as("command %d: within the half", i).isZero();
        }
        for (int i = CONFIGURED / 2; i < CONFIGURED; i++) {
            assertThat(pace.holdMillis(waiting[i])).as("command %d: past the half, a window later", i).isEqualTo(WINDOW.toMillis());
        }
    }

    @Test
    void aWaitingCommandAsksAgainAfterA429() {
        postedAlone();
        for (int i = 0; i < CONFIGURED; i++) {
            holdOfANewCommand();
        }
        Exchange waiting = command();
        assertThat(pace.holdMillis(waiting)).isEqualTo(WINDOW.toMillis());
        answer(429).header(RETRY_AFTER, "90").observedBy(pace);

        clock.advance(WINDOW);
        assertThat(pace.holdMillis(waiting)).as("Segment's wait outlasts the turn").isEqualTo(30_000);
    }

    // --- helpers ---

    /** Commands that each find their turn now: their requests leave. */
    private Exchange[] sendAll(int commands) {
        Exchange[] sent = IntStream.range(0, commands).mapToObj(i -> command()).toArray(Exchange[]::new);
        for (Exchange request : sent) {
            assertThat(pace.holdMillis(request)).isZero();
        }
        return sent;
    }

    private long holdOfANewCommand() {
        return pace.holdMillis(command());
    }

    private static Exchange command() {
        return command(CREATE);
    }

    private static Exchange command(String commandType) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(SEGMENT_OPERATION, commandType);
        return exchange;
    }

    private void send(int requests) {
        for (int i = 0; i < requests; i++) {
            pace.sending(CREATE);
        }
    }

    private String resetIn(Duration fromNow) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plus(fromNow).atOffset(ZoneOffset.UTC));
    }

    private static Long redeliveryDelay(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
    }

    private static Answer answer(int status) {
        return new Answer(status);
    }

    /** Segment's answer to one audience.create request, as the route hands it to the pace. */
    private static final class Answer {

        private final Exchange exchange = new DefaultExchange(CAMEL);

        Answer(int status) {
            exchange.setProperty(SEGMENT_OPERATION, CREATE);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setBody(new byte[0]);
        }

        /** The answer to this command's request, which carries its turn. */
        Answer of(Exchange command) {
            exchange.setProperty(SEGMENT_TURN, command.getProperty(SEGMENT_TURN));
            return this;
        }

        Answer header(String name, String value) {
            exchange.getMessage().setHeader(name, value);
            return this;
        }

        Answer budget(int consumed, int remaining) {
            return header(CONSUMED, Integer.toString(consumed)).header(REMAINING, Integer.toString(remaining));
        }

        /** Segment's 429 body, whose first error carries {@code data}. */
        Answer errorData(String data) {
            String body = "{\"errors\":[{\"type\":\"rate-limit\",\"message\":\"Too many requests\",\"data\":" + data + "}]}";
            exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** As SegmentResponses counts them; absent until the first answer is read. */
        Answer requestsMade(Integer attempts) {
            if (attempts != null) {
                exchange.setProperty(SEGMENT_ATTEMPTS, attempts);
            }
            return this;
        }

        Exchange observedBy(SegmentPace pace) {
            pace.observe(exchange);
            return exchange;
        }
    }
}
