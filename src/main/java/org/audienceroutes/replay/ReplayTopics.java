package org.audienceroutes.replay;

/** The topics a replay reads (failures) and writes (commands, parked, its status). */
public record ReplayTopics(String failures, String commands, String parked, String status) {
}
