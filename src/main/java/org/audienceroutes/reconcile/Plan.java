package org.audienceroutes.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * The actions that bring Segment to the file's state, in an order that applies them (parents created before their
 * children, children removed before their parents), and what was left alone.
 *
 * @param readStartedAt when reading Segment's state began: an action that an earlier apply completed before it is
 *                      one whose effect that read saw, so seeing it planned again means Segment changed since
 * @param kept          live resources the plan leaves alone because the file does not mention them and prune is off
 */
public record Plan(Instant readStartedAt, List<PlannedAction> actions, List<String> kept) {

    public boolean hasChanges() {
        return !actions.isEmpty();
    }

    public long count(PlannedAction.Change change) {
        return actions.stream().filter(action -> action.change() == change).count();
    }
}
