package org.audienceroutes.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.segment.SegmentReads;

import java.time.Duration;
import java.util.List;

/**
 * Resolves an audience name to its id with Segment's List Audiences, page by page, through the same
 * throttled Segment call route as every command, so lookups count against that endpoint's budget.
 * Only unique matches are cached, and only briefly: a name is never guessed.
 */
public class AudienceNameResolver {

    /** List Audiences pages hold at most 200 audiences. */
    static final int PAGE_SIZE = 200;

    private final SegmentReads segment;
    private final Cache<NameKey, String> idsByName;

    public AudienceNameResolver(SegmentReads segment, Duration cacheTtl) {
        this.segment = segment;
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
        AudienceCommand listAudiences = command.lookup(SegmentOperation.AUDIENCE_LIST, "resolve-audience-name",
                CommandQuery.firstPage(PAGE_SIZE));
        return segment.readAllPages(listAudiences, "audiences").stream()
                .filter(audience -> command.audienceName().equals(audience.path("name").asText(null)))
                .map(audience -> audience.path("id").asText())
                .toList();
    }

    private record NameKey(String spaceId, String name) {}
}
