-- Every change that can end a session or narrow an agent's access (a revoked token or session, a
-- disabled or deleted agent or user, a new scope, role or password) tells every app instance at
-- commit, so the session and access-token checks they keep for a few seconds
-- (lib/auth/auth-changes.ts) are made again at once. A trigger, so that no write path, nor a
-- change made by hand in psql, can forget it. Statement-level: one notification per statement,
-- and PostgreSQL folds identical ones within a transaction.
--
-- Prisma's driver adapter runs a migration as statements split at every semicolon, dollar quotes
-- or not, so the function's body is an escape string with its semicolons written as \x3B.
CREATE FUNCTION pa_notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''pa_auth_changed'', TG_TABLE_NAME)\x3B RETURN NULL\x3B END';

CREATE TRIGGER agent_tokens_auth_changed AFTER UPDATE OR DELETE ON agent_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION pa_notify_auth_changed();
CREATE TRIGGER agents_auth_changed AFTER UPDATE OR DELETE ON agents
  FOR EACH STATEMENT EXECUTE FUNCTION pa_notify_auth_changed();
CREATE TRIGGER users_auth_changed AFTER UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION pa_notify_auth_changed();
CREATE TRIGGER revoked_sessions_auth_changed AFTER INSERT OR UPDATE ON revoked_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION pa_notify_auth_changed();
