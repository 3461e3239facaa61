-- One row per commandId: what happened to that command, so that a redelivered or re-sent command is not applied twice.
CREATE TABLE command_ledger (
    command_id       text        PRIMARY KEY,
    fingerprint      text        NOT NULL,
    command_type     text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('CLAIMED', 'SENT', 'DONE')),
    -- requests that may have left for Segment, retries included
    sends            integer     NOT NULL DEFAULT 0,
    -- text, not jsonb: the outcome is republished byte for byte as it was first published
    outcome          text,
    outcome_status   text        CHECK (outcome_status IN ('SUCCEEDED', 'FAILED')),
    published        boolean     NOT NULL DEFAULT false,
    -- the Kafka record whose processing produced the stored outcome
    record_topic     text,
    record_partition integer,
    record_offset    bigint,
    claimed_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT outcome_exactly_when_done
        CHECK ((state = 'DONE') = (outcome IS NOT NULL AND outcome_status IS NOT NULL AND record_topic IS NOT NULL
                                   AND record_partition IS NOT NULL AND record_offset IS NOT NULL))
);

-- the purge looks for published outcomes by age and nothing else
CREATE INDEX command_ledger_purgeable ON command_ledger (updated_at) WHERE state = 'DONE' AND published;
