package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a command's record came from, and how often it was replayed: written into its failure record, from which a
 * replay takes the original key and counts the replays.
 *
 * @param replayCount how many replays re-published it so far (0 for a record as first produced)
 * @param replayId    the replay that re-published it; null for a record as first produced
 */
public record RecordOrigin(String topic, Integer partition, Long offset, Long timestamp, String key, String consumerGroup,
                           int replayCount, String replayId) {

    public boolean replayed() {
        return replayId != null;
    }

    /** The failure record's {@code origin} object. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode origin = mapper.createObjectNode();
        origin.put("topic", topic);
        origin.put("partition", partition);
        origin.put("offset", offset);
        origin.put("timestamp", timestamp);
        origin.put("key", key);
        origin.put("consumerGroup", consumerGroup);
        return origin;
    }

    /** The failure record's {@code replay} object. */
    public ObjectNode replayJson(ObjectMapper mapper) {
        ObjectNode replay = mapper.createObjectNode();
        replay.put("count", replayCount);
        replay.put("id", replayId);
        return replay;
    }

    /** Read back from a failure record; null fields where the record has none. */
    public static RecordOrigin of(JsonNode failureRecord) {
        JsonNode origin = failureRecord.path("origin");
        JsonNode replay = failureRecord.path("replay");
        return new RecordOrigin(text(origin.path("topic")), origin.path("partition").canConvertToInt() ? origin.path("partition").asInt() : null,
                origin.path("offset").canConvertToLong() ? origin.path("offset").asLong() : null,
                origin.path("timestamp").canConvertToLong() ? origin.path("timestamp").asLong() : null,
                text(origin.path("key")), text(origin.path("consumerGroup")),
                replay.path("count").asInt(0), text(replay.path("id")));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
