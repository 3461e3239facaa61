package org.audienceroutes.segment;

import org.audienceroutes.catalogue.PathSegments;
import org.audienceroutes.catalogue.SegmentOperation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;

/**
 * Turns a validated command into the HTTP request of its catalogue operation: method, encoded path,
 * query string, vendor media types, JSON body and the Authorization header. Nothing of the incoming
 * record reaches the request except through these fields.
 */
public class SegmentRequests {

    private final ObjectMapper mapper;
    private final SegmentCredentials credentials;

    public SegmentRequests(ObjectMapper mapper, SegmentCredentials credentials) {
        this.mapper = mapper;
        this.credentials = credentials;
    }

    /** The throttler's correlation key. */
    public String operationOf(AudienceCommand command) {
        return command.operation().commandType();
    }

    public void prepare(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        AudienceCommand command = message.getMandatoryBody(AudienceCommand.class);
        SegmentOperation operation = command.operation();
        // counted as the request is built, so that one that never got an answer counts too
        exchange.setProperty(SEGMENT_ATTEMPTS, exchange.getProperty(SEGMENT_ATTEMPTS, 0, Integer.class) + 1);
        // the enum, not its name: camel-http would otherwise look a type converter up for every request
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(operation.method()));
        message.setHeader(Exchange.HTTP_PATH, operation.path(command::pathValue));
        String query = queryString(command.query());
        if (!query.isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        message.setHeader("Accept", operation.mediaType() + ", application/json");
        message.setHeader("Authorization", credentials.authorizationHeader());
        if (operation.takesBody()) {
            message.setHeader(Exchange.CONTENT_TYPE, operation.mediaType());
            message.setBody(mapper.writeValueAsBytes(command.payload()));
        } else {
            message.setBody(null);
        }
    }

    private static String queryString(CommandQuery query) {
        if (query == null) {
            return "";
        }
        List<String> parameters = new ArrayList<>();
        if (query.pagination() != null) {
            add(parameters, "pagination.count", query.pagination().count());
            add(parameters, "pagination.cursor", query.pagination().cursor());
        }
        for (Map.Entry<String, String> entry : Map.of(
                "include", nullToEmpty(query.include()),
                "slug", nullToEmpty(query.slug()),
                "actionId", nullToEmpty(query.actionId())).entrySet()) {
            if (!entry.getValue().isEmpty()) {
                add(parameters, entry.getKey(), entry.getValue());
            }
        }
        parameters.sort(null);
        return String.join("&", parameters);
    }

    private static void add(List<String> parameters, String name, Object value) {
        if (value != null) {
            parameters.add(name + "=" + PathSegments.encode(value.toString()));
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
