package org.audienceroutes.cli;

import org.audienceroutes.reconcile.ApplyRun;
import org.audienceroutes.reconcile.DesiredState;
import org.audienceroutes.reconcile.Plan;
import org.audienceroutes.reconcile.PlanReport;
import org.audienceroutes.reconcile.PlannedAction;
import org.audienceroutes.reconcile.ServicePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "apply", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Plans, then publishes the planned actions as commands, in order, and follows their outcomes.",
                "Exit code: 0 applied (or nothing to apply), 1 an action failed, was not applied, or no plan."})
public class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DesiredStateOptions desired;

    @Option(names = "--yes", description = "apply without asking (needed when not run from a terminal)")
    boolean yes;

    @Option(names = "--lock-wait", defaultValue = "30m", converter = CamelDurationConverter.class,
            description = "longest wait for an audience Locked by a recent update (default: ${DEFAULT-VALUE})")
    Duration lockWait;

    @Option(names = "--lock-poll", defaultValue = "10s", converter = CamelDurationConverter.class,
            description = "first pause between reads of a Locked audience; later pauses grow up to six times it (default: ${DEFAULT-VALUE})")
    Duration lockPoll;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DesiredState state = desired.read();
            try (ServicePipeline pipeline = desired.openPipeline()) {
                Plan plan = desired.plan(state, pipeline);
                out.print(PlanReport.text(plan, desired.pacing(plan)));
                out.flush();
                if (!plan.hasChanges()) {
                    return 0;
                }
                if (!yes && !confirmed(plan, err)) {
                    err.println("Not applied.");
                    return 1;
                }
                String correlationId = "apply:" + plan.actions().stream().map(PlannedAction::commandId).toList().hashCode();
                ApplyRun.Summary summary = new ApplyRun(pipeline, out, desired.outcomeTimeout, lockWait, lockPoll, Clock.systemUTC())
                        .apply(plan, correlationId);
                return summary.complete() ? 0 : 1;
            }
        } catch (RuntimeException failed) {
            err.println(failed.getMessage());
            return 1;
        }
    }

    private static boolean confirmed(Plan plan, PrintWriter err) {
        Console console = System.console();
        if (console == null) {
            err.println("apply asks before it changes Segment: run it from a terminal, or pass --yes");
            return false;
        }
        String answer = console.readLine("Apply these %d actions? Only 'yes' applies: ", plan.actions().size());
        return "yes".equals(answer);
    }
}
