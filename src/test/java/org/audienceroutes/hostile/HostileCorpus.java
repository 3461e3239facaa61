package org.audienceroutes.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.failure.FailureClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The hostile-input corpus ({@code hostile/corpus.json}): records a sender could put on the commands topic
 * that must each end as one failure record and never reach Segment.
 */
public final class HostileCorpus {

    public static final String RESOURCE = "/hostile/corpus.json";

    /**
     * One hostile record. Generated values (deep nesting, oversized records) are built on each call of
     * {@link #value()} rather than held, so that a heap measurement around them sees only the service.
     */
    public record Entry(String name, JsonNode spec, String commandId, FailureClass failureClass, String message) {

        /** The record value to produce; null for a tombstone. */
        public byte[] value() {
            if (spec.path("tombstone").asBoolean()) {
                return null;
            }
            if (spec.has("text")) {
                return spec.get("text").asText().getBytes(StandardCharsets.UTF_8);
            }
            if (spec.has("base64")) {
                return Base64.getDecoder().decode(spec.get("base64").asText());
            }
            if (spec.has("record")) {
                return spec.get("record").toString().getBytes(StandardCharsets.UTF_8);
            }
            return generate(spec.get("generate"));
        }

        public boolean generated() {
            return spec.has("generate");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCorpus() {}

    public static List<Entry> load() {
        JsonNode corpus;
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            corpus = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode spec : corpus.get("entries")) {
            JsonNode commandId = spec.get("commandId");
            entries.add(new Entry(spec.get("name").asText(), spec, commandId == null ? null : commandId.asText(),
                    FailureClass.valueOf(spec.get("class").asText()), spec.get("message").asText()));
        }
        return entries;
    }

    private static byte[] generate(JsonNode parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode part : parts) {
            byte[] bytes = part.has("text")
                    ? part.get("text").asText().getBytes(StandardCharsets.UTF_8)
                    : part.get("repeat").asText().repeat(part.get("times").asInt()).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
