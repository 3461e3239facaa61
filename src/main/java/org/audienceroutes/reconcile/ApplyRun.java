package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.reconcile.PlannedAction.Ref;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Applies a plan through the running service: each action is published as an ordinary command once every action it
 * needs has succeeded, with the ids their outcomes gave, and followed to its outcome. An action whose need failed is
 * not published. A re-published commandId is answered as a duplicate with the first outcome, ids included, so an
 * apply re-run after being killed picks up where it stopped without changing anything twice.
 */
public final class ApplyRun {

    static final String SOURCE = "apply";
    private static final String LOCKED = "Locked";

    private final ServicePipeline pipeline;
    private final PrintWriter out;
    private final Duration outcomeTimeout;
    private final Duration lockWait;
    private final Duration lockPoll;
    private final Clock clock;

    public ApplyRun(ServicePipeline pipeline, PrintWriter out, Duration outcomeTimeout, Duration lockWait, Duration lockPoll, Clock clock) {
        this.pipeline = pipeline;
        this.out = out;
        this.outcomeTimeout = outcomeTimeout;
        this.lockWait = lockWait;
        this.lockPoll = lockPoll;
        this.clock = clock;
    }

    public record Summary(int succeeded, int duplicates, int failed, int notApplied) {
        public boolean complete() {
            return failed == 0 && notApplied == 0;
        }
    }

    public Summary apply(Plan plan, String correlationId) {
        Map<String, JsonNode> succeeded = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<PlannedAction> waiting = new ArrayList<>(plan.actions());
        Map<PlannedAction, CompletableFuture<JsonNode>> inFlight = new LinkedHashMap<>();
        Set<PlannedAction> republished = new HashSet<>();
        int duplicates = 0;
        int notApplied = 0;
        int done = 0;
        while (!waiting.isEmpty() || !inFlight.isEmpty()) {
            for (PlannedAction blocked : take(waiting, action -> action.needs().stream().anyMatch(failed::contains))) {
                failed.add(blocked.commandId());
                notApplied++;
                progress(++done, plan, "NOT APPLIED", blocked, "an action it needs failed");
            }
            for (PlannedAction ready : take(waiting, action -> succeeded.keySet().containsAll(action.needs()))) {
                inFlight.put(ready, publish(ready, succeeded, correlationId));
            }
            if (inFlight.isEmpty()) {
                continue;
            }
            awaitAny(inFlight);
            for (PlannedAction action : List.copyOf(inFlight.keySet())) {
                CompletableFuture<JsonNode> answer = inFlight.get(action);
                if (!answer.isDone()) {
                    continue;
                }
                inFlight.remove(action);
                JsonNode outcome = answer.join();
                if (answeredBeforeThePlanRead(outcome, plan.readStartedAt()) && republished.add(action)) {
                    // Segment changed since an earlier apply made this very change: it is a new change, under a new id
                    inFlight.put(action, publishAs(action, action.commandId() + ":" + plan.readStartedAt().toEpochMilli(), succeeded, correlationId));
                    continue;
                }
                if (lockedMeanwhile(action, outcome) && republished.add(action)) {
                    awaitUnlocked(action, correlationId);
                    inFlight.put(action, publishAs(action, action.commandId() + ":unlocked", succeeded, correlationId));
                    continue;
                }
                if ("SUCCEEDED".equals(outcome.path("status").asText())) {
                    succeeded.put(action.commandId(), outcome.path("data"));
                    duplicates += outcome.path("duplicate").asBoolean() ? 1 : 0;
                    progress(++done, plan, outcome.path("duplicate").asBoolean() ? "SUCCEEDED (already applied)" : "SUCCEEDED", action, "");
                } else {
                    failed.add(action.commandId());
                    progress(++done, plan, "FAILED", action, outcome.path("error").path("class").asText() + ": "
                            + outcome.path("error").path("message").asText());
                }
            }
        }
        Summary summary = new Summary(succeeded.size(), duplicates, failed.size() - notApplied, notApplied);
        out.printf("Apply: %d succeeded (%d of them already applied before), %d failed, %d not applied.%n",
                summary.succeeded(), summary.duplicates(), summary.failed(), summary.notApplied());
        return summary;
    }

    private void awaitAny(Map<PlannedAction, CompletableFuture<JsonNode>> inFlight) {
        try {
            CompletableFuture.anyOf(inFlight.values().toArray(CompletableFuture[]::new))
                    .orTimeout(outcomeTimeout.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException timedOut) {
            throw new IllegalStateException("no outcome for " + inFlight.size() + " published commands within " + outcomeTimeout
                    + ": is the service running? Run apply again: what was applied is answered as a duplicate");
        }
    }

    /** The plan saw the audience unlocked, but another update locked it before this one reached Segment. */
    private static boolean lockedMeanwhile(PlannedAction action, JsonNode outcome) {
        return action.operation() == SegmentOperation.AUDIENCE_UPDATE && "FAILED".equals(outcome.path("status").asText())
                && outcome.path("error").path("message").asText().toLowerCase(Locale.ROOT).contains("locked");
    }

    private static List<PlannedAction> take(List<PlannedAction> waiting, Predicate<PlannedAction> which) {
        List<PlannedAction> taken = waiting.stream().filter(which).toList();
        waiting.removeAll(taken);
        return taken;
    }

    private CompletableFuture<JsonNode> publish(PlannedAction action, Map<String, JsonNode> succeeded, String correlationId) {
        if (action.waitForUnlock()) {
            awaitUnlocked(action, correlationId);
        }
        return publishAs(action, action.commandId(), succeeded, correlationId);
    }

    private CompletableFuture<JsonNode> publishAs(PlannedAction action, String commandId, Map<String, JsonNode> succeeded, String correlationId) {
        ObjectNode command = JsonNodeFactory.instance.objectNode();
        command.put("commandId", commandId);
        command.put("type", action.operation().commandType());
        command.put("spaceId", action.spaceId());
        if (action.audience() != null) {
            command.put("audienceId", idOf(action.audience(), succeeded, "audience"));
        }
        if (action.connection() != null) {
            command.put("connectionId", idOf(action.connection(), succeeded, "connection"));
        }
        if (action.activationId() != null) {
            command.put("activationId", action.activationId());
        }
        if (action.scheduleId() != null) {
            command.put("scheduleId", action.scheduleId());
        }
        if (action.payload() != null) {
            command.set("payload", action.payload());
        }
        command.put("correlationId", correlationId);
        command.put("source", SOURCE);
        CompletableFuture<JsonNode> answer = pipeline.outcome(commandId);
        pipeline.publish(command);
        return answer;
    }

    /** audience.create answers {@code data.audience.id}, destination.add {@code data.connection.id}. */
    private static String idOf(Ref ref, Map<String, JsonNode> succeeded, String resource) {
        return ref.id() != null ? ref.id() : succeeded.get(ref.fromCommandId()).path(resource).path("id").asText();
    }

    /** Segment refuses edits of an audience until its last update is incorporated: wait for that, not fail. */
    private void awaitUnlocked(PlannedAction action, String correlationId) {
        Instant giveUp = clock.instant().plus(lockWait);
        out.printf("waiting: %s is Locked by a recent update%n", action.address());
        int attempt = 0;
        while (true) {
            AudienceCommand get = AudienceCommand.readCommand(action.commandId() + ":unlocked", SegmentOperation.AUDIENCE_GET,
                    action.spaceId(), action.audience().id(), null, correlationId, SOURCE);
            String status = pipeline.read(get).path("audience").path("status").asText();
            if (!LOCKED.equals(status)) {
                return;
            }
            if (clock.instant().isAfter(giveUp)) {
                throw new IllegalStateException(action.address() + " was still Locked after " + lockWait);
            }
            attempt++;
            pause(lockPoll.multipliedBy(Math.min(attempt, 6)));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an audience to unlock", e);
        }
    }

    /** A duplicate whose first outcome came before the plan read Segment: that read saw its effect already. */
    private static boolean answeredBeforeThePlanRead(JsonNode outcome, Instant readStartedAt) {
        return outcome.path("duplicate").asBoolean() && "SUCCEEDED".equals(outcome.path("status").asText())
                && Instant.parse(outcome.path("completedAt").asText()).isBefore(readStartedAt);
    }

    private void progress(int done, Plan plan, String status, PlannedAction action, String detail) {
        out.printf("[%d/%d] %s %s %s%s%n", done, plan.actions().size(), status, action.change().verb(), action.address(),
                detail.isEmpty() ? "" : ": " + detail);
    }
}
