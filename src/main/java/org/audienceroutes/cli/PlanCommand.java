package org.audienceroutes.cli;

import org.audienceroutes.reconcile.PacingEstimate;
import org.audienceroutes.reconcile.DesiredState;
import org.audienceroutes.reconcile.Plan;
import org.audienceroutes.reconcile.PlanReport;
import org.audienceroutes.reconcile.ServicePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "plan", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Reads Segment's state through the running service and prints the actions that bring it to the file's.",
                "Exit code: 0 no changes, 2 changes, 1 error."})
public class PlanCommand implements Callable<Integer> {

    static final int NO_CHANGES = 0;
    static final int ERROR = 1;
    static final int CHANGES = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    DesiredStateOptions desired;

    @Option(names = "--json", description = "print the plan as JSON")
    boolean json;

    @Override
    public Integer call() {
        try {
            DesiredState state = desired.read();
            try (ServicePipeline pipeline = desired.openPipeline()) {
                Plan plan = desired.plan(state, pipeline);
                PacingEstimate pacing = desired.pacing(plan);
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? PlanReport.json(plan, pacing).toPrettyString() + System.lineSeparator() : PlanReport.text(plan, pacing));
                out.flush();
                return plan.hasChanges() ? CHANGES : NO_CHANGES;
            }
        } catch (RuntimeException failed) {
            spec.commandLine().getErr().println(failed.getMessage());
            return ERROR;
        }
    }
}
