package org.audienceroutes.bench;

/** An audience in the emulator, with one destination connection that activations can be added to. */
record LinkedAudience(String audienceId, String connectionId) {
}
