package org.audienceroutes.ledger;

import java.sql.SQLException;

/** The ledger's database could not be read or written; the same call may succeed later. */
public final class LedgerAccessException extends RuntimeException {

    public LedgerAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
