package org.audienceroutes.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * DOWN while Segment's last word on the token is a refusal (401 or 403), until an answer that is not one: an instance
 * whose token Segment refuses fails every command, so it should take none. Says which status, never the token.
 */
public class SegmentCredentialsCheck extends AbstractHealthCheck {

    private volatile int refusedWith;

    public SegmentCredentialsCheck() {
        super("segment", "segment-credentials");
    }

    void answered(int status) {
        refusedWith = status == 401 || status == 403 ? status : 0;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int status = refusedWith;
        if (status == 0) {
            builder.up();
        } else {
            builder.down().message("Segment refused the token: HTTP " + status
                    + (status == 401 ? " (unknown or expired token)" : " (the token lacks the permission)"));
        }
    }
}
