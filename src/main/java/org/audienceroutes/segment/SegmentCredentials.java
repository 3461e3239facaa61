package org.audienceroutes.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Public API token. It is held here only: not in Camel properties, route definitions or headers
 * that outlive the HTTP call, so it cannot reach a log, a route dump or an outcome record.
 */
public final class SegmentCredentials {

    private final String token;

    private SegmentCredentials(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the Segment token is empty");
        }
        this.token = token.strip();
    }

    public static SegmentCredentials of(String token) {
        return new SegmentCredentials(token);
    }

    /** Reads a token file as mounted by Docker or Kubernetes secrets (surrounding whitespace ignored). */
    public static SegmentCredentials fromFile(Path file) {
        try {
            return new SegmentCredentials(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Segment token file " + file, e);
        }
    }

    public String authorizationHeader() {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "SegmentCredentials[****]";
    }
}
