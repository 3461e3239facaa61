package org.audienceroutes.observe;

import org.apache.camel.Body;
import org.audienceroutes.command.AudienceCommand;
import org.slf4j.MDC;

/**
 * Puts the command's commandId and correlationId into the logging context (MDC) once it is parsed, so that every line
 * logged while it is handled carries them; Camel carries them across the asynchronous steps
 * (camel.main.mdc-logging-keys-pattern) and {@link OutcomeReport} ends them with the outcome's line.
 */
public class CommandLogContext {

    public void enter(@Body AudienceCommand command) {
        MDC.put("commandId", command.commandId());
        if (command.correlationId() != null) {
            MDC.put("correlationId", command.correlationId());
        } else {
            MDC.remove("correlationId");
        }
    }
}
