package org.audienceroutes.enrich;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.segment.SegmentRateLimited;

/**
 * Fills in what the sender may leave out: the configured default space and audience type,
 * a correlationId (the commandId when none was sent), and the audience id behind an audienceName.
 */
public class CommandEnricher {

    private final String defaultSpaceId;
    private final String defaultAudienceType;
    private final AudienceNameResolver audienceNames;

    public CommandEnricher(String defaultSpaceId, String defaultAudienceType, AudienceNameResolver audienceNames) {
        this.defaultSpaceId = defaultSpaceId == null || defaultSpaceId.isBlank() ? null : defaultSpaceId;
        this.defaultAudienceType = defaultAudienceType == null || defaultAudienceType.isBlank() ? null : defaultAudienceType;
        this.audienceNames = audienceNames;
    }

    /** The command with what it left out filled in; a 429 met by a lookup sets the command's retry to Segment's wait. */
    public AudienceCommand enrich(@Body AudienceCommand command, Message message) {
        try {
            return enriched(command);
        } catch (SegmentRateLimited limited) {
            if (limited.waitMillis() != null) {
                message.setHeader(Exchange.REDELIVERY_DELAY, limited.waitMillis());
            }
            throw limited;
        }
    }

    private AudienceCommand enriched(AudienceCommand command) {
        SegmentOperation operation = command.operation();
        AudienceCommand enriched = command;
        if (enriched.spaceId() == null && defaultSpaceId != null) {
            enriched = enriched.withSpaceId(defaultSpaceId);
        }
        if (enriched.audienceType() == null && operation.pathParameters().contains("audienceType")) {
            enriched = enriched.withAudienceType(defaultAudienceType);
        }
        if (enriched.correlationId() == null) {
            enriched = enriched.withCorrelationId(enriched.commandId());
        }
        if (enriched.audienceId() == null && operation.pathParameters().contains("audienceId")) {
            enriched = enriched.withAudienceId(audienceNames.resolve(enriched));
        }
        return enriched;
    }
}
