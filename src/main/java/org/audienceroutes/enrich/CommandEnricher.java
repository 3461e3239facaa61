package org.audienceroutes.enrich;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;

/**
 * Fills in what the sender may leave out: the configured default space and audience type, and a correlationId (the
 * commandId when none was sent). The audience id behind an audienceName is the next step's ({@link AudienceNameResolver}).
 */
public class CommandEnricher {

    private final String defaultSpaceId;
    private final String defaultAudienceType;

    public CommandEnricher(String defaultSpaceId, String defaultAudienceType) {
        this.defaultSpaceId = defaultSpaceId == null || defaultSpaceId.isBlank() ? null : defaultSpaceId;
        this.defaultAudienceType = defaultAudienceType == null || defaultAudienceType.isBlank() ? null : defaultAudienceType;
    }

    public AudienceCommand enrich(AudienceCommand command) {
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
        return enriched;
    }
}
