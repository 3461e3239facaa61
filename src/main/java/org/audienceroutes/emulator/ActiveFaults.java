package org.audienceroutes.emulator;

import org.audienceroutes.catalogue.SegmentOperation;

/** An {@link EmulatorFaults} plan in force: when it was installed, how many requests it has struck, its draws. */
final class ActiveFaults {

    private final EmulatorFaults plan;
    private final long installedAtNanos;
    private final ServerErrorDraws serverErrors;
    private int struckRequests;

    ActiveFaults(EmulatorFaults plan) {
        this.plan = plan;
        this.installedAtNanos = System.nanoTime();
        this.serverErrors = new ServerErrorDraws(plan.serverErrorPercent(), plan.seed());
    }

    synchronized RequestFaults next(SegmentOperation operation) {
        if (!plan.covers(operation) || expired() || struckRequests >= plan.firstRequests()) {
            return RequestFaults.NONE;
        }
        struckRequests++;
        // a reset or a storm hides the answer anyway, so it leaves the server-error sequence to the requests after it
        boolean answerHidden = plan.connectionReset() != null || plan.rateLimitStorm() != null;
        int serverErrorStatus = answerHidden ? 0 : serverErrors.next().orElse(0);
        return new RequestFaults(plan.rateLimitStorm(), serverErrorStatus, plan.slowAnswers(), plan.connectionReset(),
                plan.paddedSuccessBytes());
    }

    private boolean expired() {
        return plan.period() != null && System.nanoTime() - installedAtNanos >= plan.period().toNanos();
    }
}
