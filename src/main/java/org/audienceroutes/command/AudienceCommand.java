package org.audienceroutes.command;

import org.audienceroutes.failure.CommandFailure;
import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.catalogue.SegmentOperation;

/**
 * One audience-change command, as the contract in {@code schema/command.schema.json} defines it.
 * Instances are only built from records that passed the schema; enrichment returns copies.
 */
public record AudienceCommand(
        String commandId,
        String type,
        String spaceId,
        String audienceId,
        String audienceName,
        String connectionId,
        String activationId,
        String scheduleId,
        String previewId,
        String computedTraitId,
        String audienceType,
        CommandQuery query,
        JsonNode payload,
        String correlationId,
        String source) {

    public SegmentOperation operation() {
        return SegmentOperation.forCommandType(type)
                .orElseThrow(() -> CommandFailure.validation("unknown command type"));
    }

    /** The value of a path parameter of the catalogue's templates, or null when the command lacks it. */
    public String pathValue(String parameter) {
        return switch (parameter) {
            case "spaceId" -> spaceId;
            case "audienceId" -> audienceId;
            case "connectionId" -> connectionId;
            case "activationId" -> activationId;
            case "scheduleId" -> scheduleId;
            case "previewId" -> previewId;
            case "computedTraitId" -> computedTraitId;
            case "audienceType" -> audienceType;
            default -> throw new IllegalArgumentException("no command field for path parameter " + parameter);
        };
    }

    /**
     * A read Segment is asked on behalf of this command: same space, audience, correlation and source, an id of
     * its own (this command's id plus {@code purpose}, so logs tie it to its cause), no payload.
     */
    public AudienceCommand lookup(SegmentOperation read, String purpose, CommandQuery readQuery) {
        return readCommand(commandId + ":" + purpose, read, spaceId, audienceId, readQuery, correlationId, source);
    }

    /** A read of one space, or of one audience of it ({@code audienceId} null for a space-wide read): no payload. */
    public static AudienceCommand readCommand(String commandId, SegmentOperation read, String spaceId, String audienceId,
                                              CommandQuery query, String correlationId, String source) {
        return new AudienceCommand(commandId, read.commandType(), spaceId, audienceId, null, null, null, null, null, null,
                null, query, null, correlationId, source);
    }

    public AudienceCommand withQuery(CommandQuery value) {
        return new AudienceCommand(commandId, type, spaceId, audienceId, audienceName, connectionId, activationId,
                scheduleId, previewId, computedTraitId, audienceType, value, payload, correlationId, source);
    }

    public AudienceCommand withSpaceId(String value) {
        return new AudienceCommand(commandId, type, value, audienceId, audienceName, connectionId, activationId,
                scheduleId, previewId, computedTraitId, audienceType, query, payload, correlationId, source);
    }

    public AudienceCommand withAudienceId(String value) {
        return new AudienceCommand(commandId, type, spaceId, value, audienceName, connectionId, activationId,
                scheduleId, previewId, computedTraitId, audienceType, query, payload, correlationId, source);
    }

    public AudienceCommand withAudienceType(String value) {
        return new AudienceCommand(commandId, type, spaceId, audienceId, audienceName, connectionId, activationId,
                scheduleId, previewId, computedTraitId, value, query, payload, correlationId, source);
    }

    public AudienceCommand withCorrelationId(String value) {
        return new AudienceCommand(commandId, type, spaceId, audienceId, audienceName, connectionId, activationId,
                scheduleId, previewId, computedTraitId, audienceType, query, payload, value, source);
    }
}
