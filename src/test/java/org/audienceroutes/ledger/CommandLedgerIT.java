package org.audienceroutes.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's statements against a real PostgreSQL; each test uses command ids of its own. */
class CommandLedgerIT {

    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30.123456Z");
    private static final RecordPosition POSITION = new RecordPosition("audience-commands", 3, 42L);

    @TempDir
    static Path dataDirectory;
    private static LedgerDatabase database;
    private static CommandLedger ledger;

    @BeforeAll
    static void startDatabase() {
        database = LedgerDatabase.embedded(dataDirectory, 0);
        ledger = ledgerAt(NOW);
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void claimInsertsOnceThenReturnsTheStoredRow() {
        LedgerEntry first = ledger.claim("claim-1", "fp-a", "space.list");
        LedgerEntry second = ledgerAt(NOW.plusSeconds(5)).claim("claim-1", "fp-other", "other.type");

        assertThat(first).isEqualTo(new LedgerEntry("claim-1", true, LedgerState.CLAIMED, "fp-a", "space.list",
                0, null, null, false, null, NOW, NOW, null));
        assertThat(second).isEqualTo(new LedgerEntry("claim-1", false, LedgerState.CLAIMED, "fp-a", "space.list",
                0, null, null, false, null, NOW, NOW, null));
    }

    @Test
    void onlyTheNewestAnsweredRecordOfAPartitionIsKept() {
        ledger.claim("answered-1", "fp", "space.list");
        ledger.markAnswered("answered-1", new RecordPosition("commands", 2, 10));
        ledger.markAnswered("answered-1", new RecordPosition("commands", 2, 7));

        LedgerEntry entry = ledger.claim("answered-1", "fp", "space.list");

        assertThat(entry.answeredPosition()).isEqualTo(new RecordPosition("commands", 2, 10));
        assertThat(entry.answered(new RecordPosition("commands", 2, 7))).isTrue();
        assertThat(entry.answered(new RecordPosition("commands", 2, 10))).isTrue();
        assertThat(entry.answered(new RecordPosition("commands", 2, 11))).isFalse();
        assertThat(entry.answered(new RecordPosition("commands", 3, 1))).isFalse();

        ledger.markAnswered("answered-1", new RecordPosition("commands", 3, 1));
        assertThat(ledger.claim("answered-1", "fp", "space.list").answeredPosition()).isEqualTo(new RecordPosition("commands", 3, 1));
    }

    @Test
    void concurrentClaimsOfOneCommandHaveExactlyOneWinner() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 50; i++) {
                String commandId = "race-" + i;
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<LedgerEntry>> claims = new ArrayList<>();
                for (int contender = 0; contender < 2; contender++) {
                    String fingerprint = "fp-" + contender;
                    claims.add(CompletableFuture.supplyAsync(() -> {
                        await(together);
                        return ledger.claim(commandId, fingerprint, "audience.add");
                    }, threads));
                }
                List<LedgerEntry> entries = claims.stream().map(CompletableFuture::join).toList();

                assertThat(entries).filteredOn(LedgerEntry::newlyClaimed).as(commandId).hasSize(1);
                String winner = entries.stream().filter(LedgerEntry::newlyClaimed).findFirst().orElseThrow().fingerprint();
                assertThat(entries).extracting(LedgerEntry::fingerprint).as(commandId).containsOnly(winner);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCommandGoesFromClaimedThroughSentToDoneAndPublished() {
        String outcome = "{\"commandId\":\"flow-1\",\"status\":\"SUCCEEDED\",\"result\":{\"id\":\"spa_1\",\"n\":[1,2]}}";
        ledger.claim("flow-1", "fp", "space.list");

        ledgerAt(NOW.plusSeconds(1)).markSent("flow-1");
        ledgerAt(NOW.plusSeconds(2)).markSent("flow-1");
        assertThat(ledger.claim("flow-1", "fp", "space.list"))
                .returns(LedgerState.SENT, LedgerEntry::state)
                .returns(2, LedgerEntry::sends)
                .returns(NOW.plusSeconds(2), LedgerEntry::updatedAt);

        ledgerAt(NOW.plusSeconds(3)).recordOutcome("flow-1", "SUCCEEDED", outcome, POSITION);
        LedgerEntry done = ledger.claim("flow-1", "fp", "space.list");
        assertThat(done).isEqualTo(new LedgerEntry("flow-1", false, LedgerState.DONE, "fp", "space.list",
                2, outcome, "SUCCEEDED", false, POSITION, NOW, NOW.plusSeconds(3), null));

        ledgerAt(NOW.plusSeconds(4)).markPublished("flow-1");
        assertThat(ledger.claim("flow-1", "fp", "space.list"))
                .returns(true, LedgerEntry::published)
                .returns(outcome, LedgerEntry::outcome)
                .returns(NOW.plusSeconds(4), LedgerEntry::updatedAt);
    }

    @Test
    void repeatingTheSameOutcomeOrPublicationChangesNothing() {
        ledger.claim("repeat-1", "fp", "space.list");
        ledger.recordOutcome("repeat-1", "SUCCEEDED", "{\"ok\":true}", POSITION);
        ledger.markPublished("repeat-1");

        ledgerAt(NOW.plusSeconds(9)).recordOutcome("repeat-1", "SUCCEEDED", "{\"ok\":true}", POSITION);
        ledgerAt(NOW.plusSeconds(9)).markPublished("repeat-1");

        assertThat(ledger.claim("repeat-1", "fp", "space.list"))
                .returns(true, LedgerEntry::published)
                .returns(NOW, LedgerEntry::updatedAt);
    }

    @Test
    void aDoneCommandRefusesAnotherSendOrADifferentOutcome() {
        ledger.claim("refuse-1", "fp", "space.list");
        ledger.recordOutcome("refuse-1", "FAILED", "{\"error\":\"boom\"}", POSITION);

        assertThatThrownBy(() -> ledger.markSent("refuse-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refuse-1").hasMessageContaining("DONE");
        assertThatThrownBy(() -> ledger.recordOutcome("refuse-1", "SUCCEEDED", "{}", POSITION))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outcome FAILED");
        assertThatThrownBy(() -> ledger.recordOutcome("refuse-1", "FAILED", "{\"error\":\"boom\"}",
                new RecordPosition("audience-commands", 3, 43L)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void transitionsOfAnUnknownCommandAreRefused() {
        assertThatThrownBy(() -> ledger.markSent("unknown-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in the ledger");
        assertThatThrownBy(() -> ledger.recordOutcome("unknown-1", "FAILED", "{}", POSITION))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in the ledger");
        assertThatThrownBy(() -> ledger.markPublished("unknown-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in the ledger");
        assertThat(ledger.reopen("unknown-1")).isFalse();
    }

    @Test
    void publishingBeforeAnOutcomeIsRefused() {
        ledger.claim("early-1", "fp", "space.list");

        assertThatThrownBy(() -> ledger.markPublished("early-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CLAIMED");
    }

    @Test
    void anOutcomeStatusOutsideTheContractIsRejected() {
        ledger.claim("status-1", "fp", "space.list");

        assertThatThrownBy(() -> ledger.recordOutcome("status-1", "MAYBE", "{}", POSITION))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyAFailedOutcomeReopensAndOnlyOnce() {
        ledger.claim("reopen-failed", "fp-kept", "space.list");
        ledger.markSent("reopen-failed");
        ledger.recordOutcome("reopen-failed", "FAILED", "{\"error\":\"boom\"}", POSITION);
        ledger.markPublished("reopen-failed");
        ledger.claim("reopen-succeeded", "fp", "space.list");
        ledger.recordOutcome("reopen-succeeded", "SUCCEEDED", "{}", POSITION);
        ledger.claim("reopen-in-flight", "fp", "space.list");

        CommandLedger later = ledgerAt(NOW.plusSeconds(60));
        assertThat(later.reopen("reopen-failed")).isTrue();
        assertThat(later.reopen("reopen-failed")).isFalse();
        assertThat(later.reopen("reopen-succeeded")).isFalse();
        assertThat(later.reopen("reopen-in-flight")).isFalse();

        Instant reopened = NOW.plusSeconds(60);
        assertThat(ledger.claim("reopen-failed", "fp-new", "space.list")).isEqualTo(new LedgerEntry("reopen-failed", false,
                LedgerState.CLAIMED, "fp-kept", "space.list", 1, null, null, false, null, reopened, reopened, null));
        assertThat(ledger.claim("reopen-succeeded", "fp", "space.list").state()).isEqualTo(LedgerState.DONE);
    }

    @Test
    void purgeRemovesOnlyPublishedOutcomesOlderThanTheCutoff() {
        Instant old = Instant.parse("2001-01-01T00:00:00Z");
        CommandLedger then = ledgerAt(old);
        then.claim("purge-published", "fp", "space.list");
        then.recordOutcome("purge-published", "SUCCEEDED", "{}", POSITION);
        then.markPublished("purge-published");
        then.claim("purge-unpublished", "fp", "space.list");
        then.recordOutcome("purge-unpublished", "FAILED", "{}", POSITION);
        then.claim("purge-in-flight", "fp", "space.list");
        then.markSent("purge-in-flight");
        CommandLedger dayLater = ledgerAt(old.plus(Duration.ofDays(1)));
        dayLater.claim("purge-recent", "fp", "space.list");
        dayLater.recordOutcome("purge-recent", "SUCCEEDED", "{}", POSITION);
        dayLater.markPublished("purge-recent");

        int purged = ledger.purgeOlderThan(old.plus(Duration.ofHours(12)));

        assertThat(purged).isEqualTo(1);
        assertThat(ledger.claim("purge-published", "fp", "space.list").newlyClaimed()).isTrue();
        assertThat(List.of("purge-unpublished", "purge-in-flight", "purge-recent"))
                .allSatisfy(id -> assertThat(ledger.claim(id, "fp", "space.list").newlyClaimed()).as(id).isFalse());
    }

    private static CommandLedger ledgerAt(Instant instant) {
        return new CommandLedger(database.dataSource(), Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The other claimant did not arrive", e);
        }
    }
}
