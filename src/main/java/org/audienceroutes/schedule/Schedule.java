package org.audienceroutes.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * One entry of the schedules file: a Quartz cron in a time zone, and the command each firing publishes.
 *
 * @param command the command without its commandId and source, which each firing sets
 */
public record Schedule(String name, String cron, ZoneId timeZone, boolean enabled, ObjectNode command) {

    /**
     * The command of the firing for this slot. Its commandId names the slot, not the moment it ran, so that every
     * instance firing the slot, and a restart firing it again, publish the same command: the ledger applies it once.
     */
    public ObjectNode commandAt(Instant slot) {
        ObjectNode fired = command.objectNode();
        fired.put("commandId", "schedule:" + name + ":" + slot);
        fired.put("source", "schedule:" + name);
        fired.setAll(command);
        return fired;
    }

    /** The next {@code count} slots after {@code after}, in the schedule's zone. */
    public List<ZonedDateTime> nextFireTimes(Instant after, int count) {
        CronExpression expression = cronExpression(cron, timeZone);
        List<ZonedDateTime> next = new ArrayList<>();
        Date from = Date.from(after);
        for (int i = 0; i < count; i++) {
            from = expression.getNextValidTimeAfter(from);
            if (from == null) {
                break;
            }
            next.add(from.toInstant().atZone(timeZone));
        }
        return next;
    }

    static CronExpression cronExpression(String cron, ZoneId zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
