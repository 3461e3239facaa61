package org.audienceroutes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.segment.SegmentReads;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.audienceroutes.flow.ExchangeProperties.COMMAND;

/**
 * Resolves an audience name to its id from one index per space, shared by every lookup: the space's audiences by
 * exact name, read with Segment's List Audiences page by page, through the same throttled Segment call route as every
 * command, so a scan counts against that endpoint's budget (25 a minute). A name is never guessed: no match is
 * NOT_FOUND, several are VALIDATION naming them.
 *
 * <p>The index is read again once older than {@code indexTtl}; a name it lacks, or holds twice, makes it read again
 * only once older than {@code missTtl}, so a stream of commands naming an unknown audience costs one scan per
 * {@code missTtl}, not one per command. Creates and removes this service applied update it at once. A space with more
 * than {@code maxPages} pages of audiences is not scanned past them: its commands are refused, to send audienceId.
 */
public class AudienceNameResolver {

    /** List Audiences pages hold at most 200 audiences. */
    static final int PAGE_SIZE = 200;

    private final SegmentReads segment;
    private final Duration indexTtl;
    private final Duration missTtl;
    private final int maxPages;
    private final Clock clock;
    private final Map<String, SpaceIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, Object> scans = new ConcurrentHashMap<>();

    public AudienceNameResolver(SegmentReads segment, Duration indexTtl, Duration missTtl, int maxPages, Clock clock) {
        this.segment = segment;
        this.indexTtl = indexTtl;
        this.missTtl = missTtl;
        this.maxPages = maxPages;
        this.clock = clock;
    }

    public String resolve(AudienceCommand command) {
        String spaceId = command.spaceId();
        String name = command.audienceName();
        List<String> ids = current(command, spaceId, name).idsNamed(name);
        if (ids.isEmpty()) {
            throw CommandFailure.notFound("no audience named '" + name + "' in space " + spaceId);
        }
        if (ids.size() > 1) {
            throw CommandFailure.validation("audienceName '" + name + "' is ambiguous: " + ids.size()
                    + " audiences in space " + spaceId + " have it (" + String.join(", ", ids) + "); send audienceId instead");
        }
        return ids.get(0);
    }

    /** What a command this service applied changed in its space's index: a created audience, a removed one, a renamed one. */
    public void applied(@ExchangeProperty(COMMAND) AudienceCommand command, @Body JsonNode data) {
        SpaceIndex index = indexes.get(command.spaceId());
        if (index == null) {
            return;
        }
        switch (command.operation()) {
            case AUDIENCE_CREATE -> index.add(data.path("audience").path("name").asText(null), data.path("audience").path("id").asText(null));
            case AUDIENCE_REMOVE -> index.remove(command.audienceId());
            case AUDIENCE_UPDATE -> {
                if (command.payload() != null && command.payload().has("name")) {
                    indexes.remove(command.spaceId());
                }
            }
            default -> { }
        }
    }

    /** The space's index, read again when too old for this name; one scan at a time per space, the others wait for it. */
    private SpaceIndex current(AudienceCommand command, String spaceId, String name) {
        SpaceIndex index = indexes.get(spaceId);
        if (fresh(index, name)) {
            return index;
        }
        synchronized (scans.computeIfAbsent(spaceId, space -> new Object())) {
            index = indexes.get(spaceId);
            if (fresh(index, name)) {
                return index;
            }
            index = scan(command);
            indexes.put(spaceId, index);
            return index;
        }
    }

    private boolean fresh(SpaceIndex index, String name) {
        if (index == null) {
            return false;
        }
        Duration age = Duration.between(index.readAt(), clock.instant());
        return age.compareTo(index.idsNamed(name).size() == 1 ? indexTtl : missTtl) < 0;
    }

    private SpaceIndex scan(AudienceCommand command) {
        Instant readAt = clock.instant();
        SpaceIndex index = new SpaceIndex(readAt);
        AudienceCommand page = command.lookup(SegmentOperation.AUDIENCE_LIST, "resolve-audience-name", CommandQuery.firstPage(PAGE_SIZE));
        for (int pages = 1; ; pages++) {
            JsonNode data = segment.read(page);
            data.path("audiences").forEach(audience -> index.add(audience.path("name").asText(null), audience.path("id").asText(null)));
            String next = data.path("pagination").path("next").asText(null);
            if (next == null || next.isEmpty()) {
                return index;
            }
            if (pages == maxPages) {
                throw CommandFailure.validation("space " + command.spaceId() + " has more than " + maxPages * PAGE_SIZE
                        + " audiences (segment.audience-name.max-pages = " + maxPages + "): send audienceId instead of audienceName");
            }
            page = page.withQuery(page.query().atCursor(next));
        }
    }
}
