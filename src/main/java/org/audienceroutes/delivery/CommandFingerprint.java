package org.audienceroutes.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.audienceroutes.command.AudienceCommand;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a command asks Segment to do, as a hash: equal for a re-send or a replay of the same command,
 * different when a commandId is reused for another one. The correlationId and source say who sent it,
 * not what it does, so they are left out; object keys are sorted so that field order does not matter.
 */
public final class CommandFingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private CommandFingerprint() {}

    public static String of(AudienceCommand command) {
        Map<String, Object> what = new TreeMap<>();
        what.put("type", command.type());
        what.put("spaceId", command.spaceId());
        what.put("audienceId", command.audienceId());
        what.put("audienceName", command.audienceName());
        what.put("connectionId", command.connectionId());
        what.put("activationId", command.activationId());
        what.put("scheduleId", command.scheduleId());
        what.put("previewId", command.previewId());
        what.put("computedTraitId", command.computedTraitId());
        what.put("audienceType", command.audienceType());
        what.put("query", command.query());
        what.put("payload", command.payload() == null ? null : CANONICAL.convertValue(command.payload(), Object.class));
        try {
            byte[] canonical = CANONICAL.writeValueAsString(what).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a command", e);
        }
    }
}
