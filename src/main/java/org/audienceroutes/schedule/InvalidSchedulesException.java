package org.audienceroutes.schedule;

import java.util.List;

/** A schedules file that cannot be scheduled as it is: every problem, each naming its entry and field. */
public class InvalidSchedulesException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSchedulesException(String location, List<String> problems) {
        super("schedules file " + location + " is not valid:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
