-- Indexes no query reads, dropped: each was written on every run's start and end (a status change
-- is not a HOT update) and on every slot's insert and two updates (issue #17's schedule burst).

-- No query looks runs up by instance: recovery finds open runs by status and checks each one's
-- instance (failRunsOfDeadInstances), which the (status, id) index serves.
-- DropIndex
DROP INDEX "pipeline_runs_instance_id_status_idx";

-- No query looks runs up by conversation (a chat's tool runs are found by idempotency key).
-- DropIndex
DROP INDEX "pipeline_runs_conversation_id_idx";

-- The unique (schedule_id, slot_at) index serves the same lookups, scanned in either direction.
-- DropIndex
DROP INDEX "schedule_slots_schedule_id_slot_at_idx";
