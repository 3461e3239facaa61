package org.audienceroutes.command;

import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.catalogue.SegmentOperation;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks the schema cannot express because they come from the endpoint catalogue:
 * every path parameter of the command's operation must be present (or have a configured default,
 * or for the audience, a name to resolve), and only the query parameters its operation takes.
 */
public class CommandValidator {

    private final String defaultSpaceId;
    private final String defaultAudienceType;

    public CommandValidator(String defaultSpaceId, String defaultAudienceType) {
        this.defaultSpaceId = blankToNull(defaultSpaceId);
        this.defaultAudienceType = blankToNull(defaultAudienceType);
    }

    public void validate(AudienceCommand command) {
        SegmentOperation operation = command.operation();
        List<String> problems = new ArrayList<>();
        for (String parameter : operation.pathParameters()) {
            if (command.pathValue(parameter) == null && !canBeFilledIn(parameter, command)) {
                problems.add(missingMessage(parameter));
            }
        }
        CommandQuery query = command.query();
        if (query != null) {
            rejectUnsupported(operation, "pagination", query.pagination(), problems);
            rejectUnsupported(operation, "include", query.include(), problems);
            rejectUnsupported(operation, "slug", query.slug(), problems);
            rejectUnsupported(operation, "actionId", query.actionId(), problems);
        }
        if (!problems.isEmpty()) {
            throw CommandFailure.validation(command.type() + ": " + String.join("; ", problems));
        }
    }

    private boolean canBeFilledIn(String parameter, AudienceCommand command) {
        return switch (parameter) {
            case "spaceId" -> defaultSpaceId != null;
            case "audienceType" -> defaultAudienceType != null;
            case "audienceId" -> command.audienceName() != null;
            default -> false;
        };
    }

    private static String missingMessage(String parameter) {
        return switch (parameter) {
            case "spaceId" -> "spaceId is required (no segment.default-space-id is configured)";
            case "audienceId" -> "audienceId or audienceName is required";
            default -> parameter + " is required";
        };
    }

    private static void rejectUnsupported(SegmentOperation operation, String name, Object value, List<String> problems) {
        if (value != null && !operation.queryParameters().contains(name)) {
            problems.add("query." + name + " is not supported by " + operation.operationId());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
