package org.audienceroutes.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The schedules of the schedules file, and the command a firing of one publishes. */
public class ScheduledCommands {

    /** Set by each schedule's route (routes/schedules.yaml) to the schedule's name. */
    public static final String SCHEDULE_HEADER = "segment.schedule";
    /** camel-quartz's header: the slot the firing is for, which a late or repeated firing keeps. */
    static final String SCHEDULED_FIRE_TIME = "scheduledFireTime";

    private final Map<String, Schedule> byName = new LinkedHashMap<>();

    public ScheduledCommands(List<Schedule> schedules) {
        schedules.forEach(schedule -> byName.put(schedule.name(), schedule));
    }

    public List<Schedule> schedules() {
        return List.copyOf(byName.values());
    }

    public ObjectNode fired(@Header(SCHEDULE_HEADER) String name, @Header(SCHEDULED_FIRE_TIME) Date slot) {
        return byName.get(name).commandAt(slot.toInstant());
    }
}
