package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.flow.ExchangeProperties.RECORD_ORIGIN;

class ReplayHeadersTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private final ReplayHeaders headers = new ReplayHeaders(new ObjectMapper(), "the-group");

    @Test
    void notesWhereTheRecordCameFromAndItsReplay() {
        Exchange record = record("segment.audience.commands", 3, 42L, 1_700_000_000_000L, "aud_1");
        record.getMessage().setHeader(ReplayHeaders.REPLAY_ID, bytes("replay-7"));
        record.getMessage().setHeader(ReplayHeaders.REPLAY_COUNT, bytes("2"));

        headers.noteOrigin(record);

        assertThat(record.getProperty(RECORD_ORIGIN, RecordOrigin.class)).isEqualTo(
                new RecordOrigin("segment.audience.commands", 3, 42L, 1_700_000_000_000L, "aud_1", "the-group", 2, "replay-7"));
    }

    @Test
    void aRecordWithoutReplayHeadersWasNeverReplayed() {
        Exchange record = record("t", 0, 0L, 1L, null);

        headers.noteOrigin(record);

        RecordOrigin origin = record.getProperty(RECORD_ORIGIN, RecordOrigin.class);
        assertThat(origin.replayed()).isFalse();
        assertThat(origin.replayCount()).isZero();
        assertThat(origin.key()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "line\nbreak", "semi;colon", "\u00e9t\u00e9"})
    void aReplayIdThatIsNoIdMakesNoReplay(String replayId) {
        Exchange record = record("t", 0, 0L, 1L, "k");
        record.getMessage().setHeader(ReplayHeaders.REPLAY_ID, bytes(replayId));
        record.getMessage().setHeader(ReplayHeaders.REPLAY_COUNT, bytes("1"));

        headers.noteOrigin(record);

        RecordOrigin origin = record.getProperty(RECORD_ORIGIN, RecordOrigin.class);
        assertThat(origin.replayed()).isFalse();
        assertThat(origin.replayCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "99999999999", ""})
    void aReplayCountThatIsNoSmallNumberCountsAsNone(String count) {
        Exchange record = record("t", 0, 0L, 1L, "k");
        record.getMessage().setHeader(ReplayHeaders.REPLAY_ID, bytes("r1"));
        record.getMessage().setHeader(ReplayHeaders.REPLAY_COUNT, bytes(count));

        headers.noteOrigin(record);

        assertThat(record.getProperty(RECORD_ORIGIN, RecordOrigin.class).replayCount()).isZero();
    }

    @Test
    void writesTheHeadersFromTheFailureRecord() throws Exception {
        Exchange failure = new DefaultExchange(CAMEL);
        failure.getMessage().setBody("""
                {"commandId":"c-1","type":"audience.get","status":"FAILED",
                 "error":{"class":"NOT_FOUND","message":"Segment answered 404"},"failedAt":"2026-12-03T10:00:00Z",
                 "origin":{"topic":"cmds","partition":2,"offset":17,"timestamp":1700000000000,"key":"aud_1","consumerGroup":"g"},
                 "replay":{"count":1,"id":"r-1"}}""");

        headers.onFailureRecord(failure);

        assertThat(failure.getMessage().getHeaders())
                .containsEntry(ReplayHeaders.ORIGINAL_TOPIC, "cmds")
                .containsEntry(ReplayHeaders.ORIGINAL_PARTITION, 2)
                .containsEntry(ReplayHeaders.ORIGINAL_OFFSET, 17L)
                .containsEntry(ReplayHeaders.ORIGINAL_TIMESTAMP, 1_700_000_000_000L)
                .containsEntry(ReplayHeaders.ORIGINAL_CONSUMER_GROUP, "g")
                .containsEntry(ReplayHeaders.EXCEPTION_MESSAGE, "Segment answered 404")
                .containsEntry(ReplayHeaders.ORIGINAL_KEY, "aud_1")
                .containsEntry(ReplayHeaders.ERROR_CLASS, "NOT_FOUND")
                .containsEntry(ReplayHeaders.COMMAND_ID, "c-1")
                .containsEntry(ReplayHeaders.COMMAND_TYPE, "audience.get")
                .containsEntry(ReplayHeaders.FAILED_AT, "2026-12-03T10:00:00Z")
                .containsEntry(ReplayHeaders.REPLAY_COUNT, "1")
                .containsEntry(ReplayHeaders.REPLAY_ID, "r-1");
    }

    @Test
    void aFailureRecordWithoutOriginOrCommandIdGetsOnlyTheHeadersItCanFill() throws Exception {
        Exchange failure = new DefaultExchange(CAMEL);
        failure.getMessage().setBody("""
                {"commandId":null,"type":null,"status":"FAILED","error":{"class":"VALIDATION","message":"not JSON"},
                 "failedAt":"2026-12-03T10:00:00Z"}""");

        headers.onFailureRecord(failure);

        assertThat(failure.getMessage().getHeaders()).containsOnlyKeys(ReplayHeaders.EXCEPTION_MESSAGE, ReplayHeaders.ERROR_CLASS,
                ReplayHeaders.FAILED_AT, ReplayHeaders.REPLAY_COUNT);
        assertThat(failure.getMessage().getHeader(ReplayHeaders.REPLAY_COUNT)).isEqualTo("0");
    }

    private static Exchange record(String topic, int partition, long offset, long timestamp, String key) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, topic);
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        exchange.getMessage().setHeader(KafkaConstants.TIMESTAMP, timestamp);
        if (key != null) {
            exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        }
        return exchange;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
