package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.failure.FailureClass;

import java.util.Arrays;
import java.util.List;

/**
 * The control record a scheduled replay publishes: always the replay {@value #REPLAY_ID}, so that each firing goes on
 * from where the last one ended (a failure is replayed once, by the first firing after it), and firings of several
 * instances in one slot find nothing left to do after the first.
 */
public class ScheduledReplay {

    public static final String REPLAY_ID = "scheduled";

    private final List<FailureClass> classes;
    private final ObjectMapper json;

    /** @param classes comma-separated failure classes, checked here so that a typo stops the start */
    public ScheduledReplay(String classes, ObjectMapper json) {
        this.classes = Arrays.stream(classes.split(",")).map(String::trim).filter(name -> !name.isEmpty()).map(name -> {
            try {
                return FailureClass.valueOf(name);
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("replay.schedule.classes: unknown failure class " + name);
            }
        }).toList();
        if (this.classes.isEmpty()) {
            throw new IllegalArgumentException("replay.schedule.classes: name at least one failure class");
        }
        this.json = json;
    }

    public String request() {
        ObjectNode request = json.createObjectNode();
        request.put("replayId", REPLAY_ID);
        classes.forEach(failureClass -> request.withArray("classes").add(failureClass.name()));
        return request.toString();
    }
}
