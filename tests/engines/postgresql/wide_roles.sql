-- The roles wide_schema.sql grants to and gives objects to. Roles are cluster-wide, so they
-- live apart from the schema; this file may run again on the same cluster (it creates only
-- what is missing). Run it with: psql -X -v ON_ERROR_STOP=1 -d postgres -f wide_roles.sql
SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hf_reader') THEN
        CREATE ROLE hf_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hf_writer') THEN
        CREATE ROLE hf_writer LOGIN CONNECTION LIMIT 5 VALID UNTIL '2099-12-31 00:00:00+00';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hf_owner') THEN
        CREATE ROLE hf_owner LOGIN CREATEDB;
    END IF;
END
$$;

-- A membership and role settings, so the globals carry more than bare CREATE ROLE lines.
GRANT hf_reader TO hf_writer;
ALTER ROLE hf_reader SET work_mem = '8MB';
ALTER ROLE hf_writer SET search_path = public, inventory;
COMMENT ON ROLE hf_owner IS 'owns the inventory schema of the wide test database';
