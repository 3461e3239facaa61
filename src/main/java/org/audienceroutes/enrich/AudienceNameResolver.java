package org.audienceroutes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.catalogue.SegmentOperation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves an audience name to its id with Segment's List Audiences, page by page, through the same
 * throttled Segment call route as every command, so lookups count against that endpoint's budget.
 * Only unique matches are cached, and only briefly: a name is never guessed.
 */
public class AudienceNameResolver {

    static final int PAGE_SIZE = 200;

    private final ProducerTemplate segment;
    private final String segmentCallUri;
    private final Cache<NameKey, String> idsByName;

    public AudienceNameResolver(ProducerTemplate segment, String segmentCallUri, Duration cacheTtl) {
        this.segment = segment;
        this.segmentCallUri = segmentCallUri;
        this.idsByName = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build();
    }

    public String resolve(AudienceCommand command) {
        NameKey key = new NameKey(command.spaceId(), command.audienceName());
        String cached = idsByName.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        List<String> matches = findAudienceIds(command);
        if (matches.isEmpty()) {
            throw CommandFailure.notFound("no audience named '" + key.name() + "' in space " + key.spaceId());
        }
        if (matches.size() > 1) {
            throw CommandFailure.validation("audienceName '" + key.name() + "' is ambiguous: " + matches.size()
                    + " audiences in space " + key.spaceId() + " have it (" + String.join(", ", matches)
                    + "); send audienceId instead");
        }
        idsByName.put(key, matches.get(0));
        return matches.get(0);
    }

    private List<String> findAudienceIds(AudienceCommand command) {
        List<String> matches = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = listAudiences(command, cursor);
            for (JsonNode audience : page.path("audiences")) {
                if (command.audienceName().equals(audience.path("name").asText(null))) {
                    matches.add(audience.path("id").asText());
                }
            }
            cursor = page.path("pagination").path("next").asText(null);
        } while (cursor != null && !cursor.isEmpty());
        return matches;
    }

    private JsonNode listAudiences(AudienceCommand command, String cursor) {
        AudienceCommand lookup = new AudienceCommand(command.commandId() + ":resolve-audience-name",
                SegmentOperation.AUDIENCE_LIST.commandType(), command.spaceId(), null, null, null, null, null, null,
                null, null, new CommandQuery(new CommandQuery.Pagination(PAGE_SIZE, cursor), null, null, null),
                null, command.correlationId(), command.source());
        Exchange answer = segment.send(segmentCallUri, exchange -> exchange.getMessage().setBody(lookup));
        if (answer.getException() instanceof CommandFailure failure) {
            throw failure;
        }
        if (answer.getException() != null) {
            throw new IllegalStateException("audience name lookup failed", answer.getException());
        }
        return answer.getMessage().getBody(JsonNode.class);
    }

    private record NameKey(String spaceId, String name) {}
}
