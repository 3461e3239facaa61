package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.reconcile.PlannedAction.Change;
import org.audienceroutes.reconcile.PlannedAction.Ref;

import java.time.Duration;

/** A plan as a person reads it (like terraform plan) and as a program reads it (--json, the drift record). */
public final class PlanReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanReport() {}

    public static String text(Plan plan, PacingEstimate pacing) {
        StringBuilder text = new StringBuilder();
        for (PlannedAction action : plan.actions()) {
            text.append(action.change().symbol()).append(' ').append(action.change().verb()).append(' ').append(action.address())
                    .append("  (").append(action.operation().commandType()).append(')').append(System.lineSeparator());
            for (PlannedAction.FieldChange change : action.fieldChanges()) {
                text.append("    ").append(change.field()).append(": ").append(shown(change.before())).append(" -> ")
                        .append(shown(change.after())).append(System.lineSeparator());
            }
            if (action.waitForUnlock()) {
                text.append("    (Segment has it Locked by a recent update: apply waits until it is not)").append(System.lineSeparator());
            }
        }
        if (!plan.kept().isEmpty()) {
            text.append("Not in the file, left alone (prune is off):").append(System.lineSeparator());
            plan.kept().forEach(kept -> text.append("  ").append(kept).append(System.lineSeparator()));
        }
        if (!plan.hasChanges()) {
            return text.append("No changes: Segment matches the file.").append(System.lineSeparator()).toString();
        }
        text.append("Plan: ").append(plan.count(Change.CREATE)).append(" to create, ").append(plan.count(Change.UPDATE))
                .append(" to update, ").append(plan.count(Change.REMOVE)).append(" to remove.").append(System.lineSeparator());
        text.append("Pacing: at least ").append(shown(pacing.total())).append(" at the configured limits");
        pacing.slowest().stream().filter(step -> !step.time().isZero()).forEach(step -> text.append("; ").append(step.operation().commandType())
                .append(": ").append(step.requests()).append(" at ").append(step.limit()).append(" a window"));
        return text.append('.').append(System.lineSeparator()).toString();
    }

    public static ObjectNode json(Plan plan, PacingEstimate pacing) {
        ObjectNode report = JSON.createObjectNode();
        report.put("changes", plan.hasChanges());
        report.put("readStartedAt", plan.readStartedAt().toString());
        ObjectNode summary = report.putObject("summary");
        for (Change change : Change.values()) {
            summary.put(change.verb(), plan.count(change));
        }
        report.put("pacingSeconds", pacing.total().toMillis() / 1000.0);
        ArrayNode actions = report.putArray("actions");
        for (PlannedAction action : plan.actions()) {
            ObjectNode item = actions.addObject();
            item.put("commandId", action.commandId());
            item.put("change", action.change().verb());
            item.put("address", action.address());
            item.put("type", action.operation().commandType());
            item.put("spaceId", action.spaceId());
            ref(item, "audience", action.audience());
            ref(item, "connection", action.connection());
            item.put("activationId", action.activationId());
            item.put("scheduleId", action.scheduleId());
            item.set("payload", action.payload());
            ArrayNode changes = item.putArray("fieldChanges");
            action.fieldChanges().forEach(change -> changes.addObject().put("field", change.field())
                    .<ObjectNode>set("before", change.before()).set("after", change.after()));
            action.needs().forEach(item.putArray("needs")::add);
            item.put("waitForUnlock", action.waitForUnlock());
        }
        plan.kept().forEach(report.putArray("kept")::add);
        return report;
    }

    private static void ref(ObjectNode item, String resource, Ref ref) {
        if (ref != null) {
            item.put(resource + "Id", ref.id());
            if (ref.fromCommandId() != null) {
                item.put(resource + "IdFromOutcomeOf", ref.fromCommandId());
            }
        }
    }

    private static String shown(JsonNode value) {
        return value == null || value.isMissingNode() ? "(not set)" : value.toString();
    }

    static String shown(Duration duration) {
        long seconds = (duration.toMillis() + 999) / 1000;
        return seconds >= 60 ? seconds / 60 + "m " + seconds % 60 + "s" : seconds + "s";
    }
}
