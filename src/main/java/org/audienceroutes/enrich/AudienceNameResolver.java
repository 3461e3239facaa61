package org.audienceroutes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.AsyncProcessorSupport;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.segment.SegmentRateLimited;
import org.audienceroutes.segment.SegmentReads;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import static org.audienceroutes.flow.ExchangeProperties.COMMAND;

/**
 * Resolves an audience name to its id from one index per space, shared by every lookup: the space's audiences by
 * exact name, read with Segment's List Audiences page by page, through the same throttled Segment call route as every
 * command, so a scan counts against that endpoint's budget and waits for it without a thread. A name is never
 * guessed: no match is NOT_FOUND, several are VALIDATION naming them.
 *
 * <p>The index is read again once older than {@code indexTtl}; a name it lacks, or holds twice, makes it read again
 * only once older than {@code missTtl}, so a stream of commands naming an unknown audience costs one scan per
 * {@code missTtl}, not one per command. Creates and removes this service applied update it at once. A space with more
 * than {@code maxPages} pages of audiences is not scanned past them: its commands are refused, to send audienceId.
 */
public class AudienceNameResolver extends AsyncProcessorSupport {

    /** List Audiences pages hold at most 200 audiences. */
    static final int PAGE_SIZE = 200;

    private final SegmentReads segment;
    private final Duration indexTtl;
    private final Duration missTtl;
    private final int maxPages;
    private final Clock clock;
    private final Map<String, SpaceIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<SpaceIndex>> scans = new ConcurrentHashMap<>();

    public AudienceNameResolver(SegmentReads segment, Duration indexTtl, Duration missTtl, int maxPages, Clock clock) {
        this.segment = segment;
        this.indexTtl = indexTtl;
        this.missTtl = missTtl;
        this.maxPages = maxPages;
        this.clock = clock;
    }

    /**
     * The command in the body, with the audience id its audienceName names (when its operation needs one and it has
     * none). Answered at once from a fresh index; otherwise once the space's scan, started by the first command that
     * needs it, is in: no thread waits for it meanwhile.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        AudienceCommand command = exchange.getMessage().getBody(AudienceCommand.class);
        if (command.audienceId() != null || command.audienceName() == null
                || !command.operation().pathParameters().contains("audienceId")) {
            callback.done(true);
            return true;
        }
        SpaceIndex index = indexes.get(command.spaceId());
        if (fresh(index, command.audienceName())) {
            resolveInto(exchange, command, index);
            callback.done(true);
            return true;
        }
        scanOf(command).whenComplete((scanned, failed) -> {
            if (failed != null) {
                fail(exchange, failed instanceof CompletionException ? failed.getCause() : failed);
            } else {
                resolveInto(exchange, command, scanned);
            }
            callback.done(false);
        });
        return false;
    }

    private void resolveInto(Exchange exchange, AudienceCommand command, SpaceIndex index) {
        try {
            exchange.getMessage().setBody(command.withAudienceId(idOf(command.spaceId(), command.audienceName(), index)));
        } catch (CommandFailure failure) {
            exchange.setException(failure);
        }
    }

    private static String idOf(String spaceId, String name, SpaceIndex index) {
        List<String> ids = index.idsNamed(name);
        if (ids.isEmpty()) {
            throw CommandFailure.notFound("no audience named '" + name + "' in space " + spaceId);
        }
        if (ids.size() > 1) {
            throw CommandFailure.validation("audienceName '" + name + "' is ambiguous: " + ids.size()
                    + " audiences in space " + spaceId + " have it (" + String.join(", ", ids) + "); send audienceId instead");
        }
        return ids.get(0);
    }

    /** A 429 met by the scan delays the command's retry as Segment asked. */
    private static void fail(Exchange exchange, Throwable failed) {
        if (failed instanceof SegmentRateLimited limited && limited.waitMillis() != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, limited.waitMillis());
        }
        exchange.setException(failed);
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

    /** The space's scan under way, or a new one: one at a time per space, every command that needs it waits for it. */
    private CompletableFuture<SpaceIndex> scanOf(AudienceCommand command) {
        String spaceId = command.spaceId();
        CompletableFuture<SpaceIndex> started = new CompletableFuture<>();
        CompletableFuture<SpaceIndex> running = scans.putIfAbsent(spaceId, started);
        if (running != null) {
            return running;
        }
        SpaceIndex index = new SpaceIndex(clock.instant());
        readPages(command, command.lookup(SegmentOperation.AUDIENCE_LIST, "resolve-audience-name", CommandQuery.firstPage(PAGE_SIZE)),
                1, index, started);
        return started.whenComplete((scanned, failed) -> {
            if (scanned != null) {
                indexes.put(spaceId, scanned);
            }
            scans.remove(spaceId, started);
        });
    }

    private void readPages(AudienceCommand command, AudienceCommand page, int pages, SpaceIndex index, CompletableFuture<SpaceIndex> scan) {
        segment.readAsync(page).whenComplete((data, failed) -> {
            if (failed != null) {
                scan.completeExceptionally(failed instanceof CompletionException ? failed.getCause() : failed);
                return;
            }
            data.path("audiences").forEach(audience -> index.add(audience.path("name").asText(null), audience.path("id").asText(null)));
            String next = data.path("pagination").path("next").asText(null);
            if (next == null || next.isEmpty()) {
                scan.complete(index);
            } else if (pages == maxPages) {
                scan.completeExceptionally(CommandFailure.validation("space " + command.spaceId() + " has more than "
                        + maxPages * PAGE_SIZE + " audiences (segment.audience-name.max-pages = " + maxPages
                        + "): send audienceId instead of audienceName"));
            } else {
                readPages(command, page.withQuery(page.query().atCursor(next)), pages + 1, index, scan);
            }
        });
    }

    private boolean fresh(SpaceIndex index, String name) {
        if (index == null) {
            return false;
        }
        Duration age = Duration.between(index.readAt(), clock.instant());
        return age.compareTo(index.idsNamed(name).size() == 1 ? indexTtl : missTtl) < 0;
    }
}
