package org.audienceroutes.enrich;

import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.catalogue.SegmentOperation;

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
        if (enriched.audienceId() == null && operation.pathParameters().contains("audienceId")) {
            enriched = enriched.withAudienceId(audienceNames.resolve(enriched));
        }
        return enriched;
    }
}
