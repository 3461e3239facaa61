package org.audienceroutes.delivery;

import org.audienceroutes.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/** Forgets answered commands after the retention: a re-send older than that is applied again. */
public class LedgerRetention {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRetention.class);

    private final Ledger ledger;
    private final Duration retention;
    private final Clock clock;

    public LedgerRetention(Ledger ledger, Duration retention, Clock clock) {
        this.ledger = ledger;
        this.retention = retention;
        this.clock = clock;
    }

    public void purge() {
        int purged = ledger.purgeOlderThan(clock.instant().minus(retention));
        if (purged > 0) {
            LOG.info("ledger: forgot {} commands answered more than {} ago", purged, retention);
        }
    }
}
