-- The newest record of this commandId that was answered (first outcome or duplicate) on its partition: records
-- of one partition are processed in order, so a redelivered record at or below it was answered already.
ALTER TABLE command_ledger
    ADD COLUMN answered_topic     text,
    ADD COLUMN answered_partition integer,
    ADD COLUMN answered_offset    bigint;
