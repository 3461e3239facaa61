package org.audienceroutes.reconcile;

import java.util.List;

/** A desired-state file that cannot be planned as it is: every problem, each naming its place in the file. */
public class InvalidDesiredStateException extends IllegalArgumentException {

    public InvalidDesiredStateException(String location, List<String> problems) {
        super("desired-state file " + location + " is not valid:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", problems));
    }
}
