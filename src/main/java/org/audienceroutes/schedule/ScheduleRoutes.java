package org.audienceroutes.schedule;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * One route per enabled schedule, each made from the route template {@value #TEMPLATE} of routes/schedules.yaml, once
 * the YAML routes are loaded and before Camel starts them.
 */
public class ScheduleRoutes extends MainListenerSupport {

    static final String TEMPLATE = "scheduled-command";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        ScheduledCommands scheduled = context.getRegistry().findSingleByType(ScheduledCommands.class);
        for (Schedule schedule : scheduled.schedules()) {
            if (schedule.enabled()) {
                TemplatedRouteBuilder.builder(context, TEMPLATE)
                        .routeId("schedule-" + schedule.name())
                        .parameter("scheduleName", schedule.name())
                        .parameter("cron", schedule.cron())
                        .parameter("timeZone", schedule.timeZone().getId())
                        .add();
            }
        }
    }
}
