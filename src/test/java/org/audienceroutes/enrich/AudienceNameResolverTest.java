package org.audienceroutes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.segment.SegmentRateLimited;
import org.audienceroutes.segment.SegmentReads;
import org.audienceroutes.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceNameResolverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CommandParser PARSER = new CommandParser(64 * 1024);
    private static final Duration INDEX_TTL = Duration.ofMinutes(10);
    private static final Duration MISS_TTL = Duration.ofMinutes(2);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-03T12:00:00Z"));
    /** 450 audiences: three pages of 200; "Twice" twice. */
    private final FakeSpace space = new FakeSpace(450);
    private final AudienceNameResolver resolver = new AudienceNameResolver(space, INDEX_TTL, MISS_TTL, 5, clock);

    @Test
    void oneScanOfEveryPageServesEveryNameOfTheSpaceUntilTheIndexIsOld() {
        assertThat(resolve(byName("Audience 7"))).isEqualTo("aud_7");
        assertThat(resolve(byName("Audience 449"))).isEqualTo("aud_449");
        clock.advance(INDEX_TTL.minusSeconds(1));
        assertThat(resolve(byName("Audience 200"))).isEqualTo("aud_200");
        assertThat(space.pagesRead).isEqualTo(3);

        clock.advance(Duration.ofSeconds(1));
        resolve(byName("Audience 7"));
        assertThat(space.pagesRead).isEqualTo(6);
    }

    @Test
    void unknownAndAmbiguousNamesAreAnsweredFromTheIndexAndScanAgainOnlyOnceItIsMissTtlOld() {
        resolve(byName("Audience 1"));
        for (int i = 0; i < 100; i++) {
            assertThat(failure(byName("Nobody")).failureClass()).isEqualTo(FailureClass.NOT_FOUND);
        }
        CommandFailure ambiguous = failure(byName("Twice"));
        assertThat(space.pagesRead).isEqualTo(3);

        clock.advance(MISS_TTL);
        assertThat(failure(byName("Nobody")).getMessage()).isEqualTo("no audience named 'Nobody' in space spa_1");
        assertThat(space.pagesRead).isEqualTo(6);
        assertThat(ambiguous.failureClass()).isEqualTo(FailureClass.VALIDATION);
        assertThat(ambiguous.getMessage()).isEqualTo("audienceName 'Twice' is ambiguous: 2 audiences in space spa_1 have it"
                + " (aud_twice_a, aud_twice_b); send audienceId instead");
    }

    @Test
    void aCreateOrRemoveThisServiceAppliedIsKnownAtOnce() throws Exception {
        resolve(byName("Audience 1"));

        resolver.applied(command("{\"commandId\":\"c\",\"type\":\"audience.create\",\"spaceId\":\"spa_1\",\"payload\":"
                + "{\"name\":\"Fresh\",\"audienceType\":\"USERS\",\"definition\":{\"query\":\"q\"}}}"),
                JSON.readTree("{\"audience\":{\"id\":\"aud_fresh\",\"name\":\"Fresh\"}}"));
        resolver.applied(command("{\"commandId\":\"r\",\"type\":\"audience.remove\",\"spaceId\":\"spa_1\",\"audienceId\":\"aud_1\"}"),
                JSON.readTree("{\"status\":\"SUCCESS\"}"));

        assertThat(resolve(byName("Fresh"))).isEqualTo("aud_fresh");
        assertThat(failure(byName("Audience 1")).failureClass()).isEqualTo(FailureClass.NOT_FOUND);
        assertThat(space.pagesRead).isEqualTo(3);
    }

    @Test
    void aSpaceLargerThanThePageCapIsRefusedWithWhatToDoInstead() {
        AudienceNameResolver capped = new AudienceNameResolver(space, INDEX_TTL, MISS_TTL, 2, clock);

        CommandFailure refused = resolved(capped, byName("Audience 1")).getException(CommandFailure.class);

        assertThat(refused.failureClass()).isEqualTo(FailureClass.VALIDATION);
        assertThat(refused.getMessage()).isEqualTo("space spa_1 has more than 400 audiences (segment.audience-name.max-pages = 2):"
                + " send audienceId instead of audienceName");
        assertThat(space.pagesRead).isEqualTo(2);
    }

    @Test
    void aLookupsRateLimitSetsTheCommandsRetryToSegmentsWait() {
        SegmentReads limited = read -> {
            throw new SegmentRateLimited("Segment answered 429", null).withWait(7_000L);
        };

        Exchange exchange = resolved(new AudienceNameResolver(limited, INDEX_TTL, MISS_TTL, 5, clock), byName("Audience 1"));

        assertThat(exchange.getException()).isInstanceOf(SegmentRateLimited.class);
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(7_000L);
    }

    @Test
    void commandsArrivingWhileTheSpaceIsScannedWaitForThatScanAndHoldNoThread() {
        Deque<Runnable> answersToCome = new ArrayDeque<>();
        SegmentReads slow = new SegmentReads() {
            @Override
            public JsonNode read(AudienceCommand page) {
                throw new UnsupportedOperationException("a lookup never blocks");
            }

            @Override
            public CompletableFuture<JsonNode> readAsync(AudienceCommand page) {
                CompletableFuture<JsonNode> answer = new CompletableFuture<>();
                answersToCome.add(() -> answer.complete(space.read(page)));
                return answer;
            }
        };
        AudienceNameResolver names = new AudienceNameResolver(slow, INDEX_TTL, MISS_TTL, 5, clock);

        Exchange first = resolved(names, byName("Audience 3"));
        Exchange second = resolved(names, byName("Nobody"));
        assertThat(first.getMessage().getBody(AudienceCommand.class).audienceId()).as("still waiting").isNull();
        while (!answersToCome.isEmpty()) {
            answersToCome.poll().run();
        }

        assertThat(first.getMessage().getBody(AudienceCommand.class).audienceId()).isEqualTo("aud_3");
        assertThat(second.getException(CommandFailure.class).failureClass()).isEqualTo(FailureClass.NOT_FOUND);
        assertThat(space.pagesRead).as("one scan for both").isEqualTo(3);
    }

    private String resolve(AudienceCommand command) {
        return resolved(resolver, command).getMessage().getBody(AudienceCommand.class).audienceId();
    }

    private CommandFailure failure(AudienceCommand command) {
        return resolved(resolver, command).getException(CommandFailure.class);
    }

    /** The exchange after the lookup: the reads here answer at once, so it has finished when process returns. */
    private static Exchange resolved(AudienceNameResolver names, AudienceCommand command) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(command);
        names.process(exchange, doneSync -> { });
        return exchange;
    }

    private static AudienceCommand byName(String name) {
        return command("{\"commandId\":\"c\",\"type\":\"audience.get\",\"spaceId\":\"spa_1\",\"audienceName\":\"" + name + "\"}");
    }

    private static AudienceCommand command(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** List Audiences over a space of numbered audiences, 200 a page, counting the pages read. */
    private static final class FakeSpace implements SegmentReads {
        private final List<ObjectNode> audiences = new ArrayList<>();
        int pagesRead;

        FakeSpace(int numbered) {
            for (int i = 0; i < numbered; i++) {
                audiences.add(audience("aud_" + i, "Audience " + i));
            }
            audiences.add(audience("aud_twice_a", "Twice"));
            audiences.add(audience("aud_twice_b", "Twice"));
        }

        @Override
        public JsonNode read(AudienceCommand page) {
            pagesRead++;
            int from = page.query().pagination().cursor() == null ? 0 : Integer.parseInt(page.query().pagination().cursor());
            int to = Math.min(audiences.size(), from + AudienceNameResolver.PAGE_SIZE);
            ObjectNode data = JSON.createObjectNode();
            ArrayNode items = data.putArray("audiences");
            audiences.subList(from, to).forEach(items::add);
            data.putObject("pagination").put("next", to < audiences.size() ? Integer.toString(to) : null);
            return data;
        }

        private static ObjectNode audience(String id, String name) {
            ObjectNode audience = JSON.createObjectNode();
            audience.put("id", id).put("name", name);
            return audience;
        }
    }
}
