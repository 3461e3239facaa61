package org.audienceroutes.reconcile;

import java.util.List;

/** Segment's state and the file cannot be reconciled by a plan as they are: every reason, for a person to settle. */
public class PlanRefusedException extends RuntimeException {

    private final List<String> reasons;

    public PlanRefusedException(List<String> reasons) {
        super("no plan: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
