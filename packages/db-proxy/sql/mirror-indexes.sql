-- Index mirrors for FerretDB 1.24 on PostgreSQL. Applied by the local database
-- each time it starts (packages/db-proxy/src/postgres.ts); safe to apply again.
--
-- Why: FerretDB pushes an equality filter down as `_jsonb -> $1 @> $2` (a
-- dotted field as `_jsonb #> $1 @> $2`), but the indexes it creates are btree
-- indexes on `(_jsonb -> 'field')`, which cannot serve `@>`: every find, and
-- the lookup inside every update and delete, is a sequential scan: upstream
-- FerretDB/FerretDB#4646 ("Indexes created on postgres are not used by
-- queries", 1.24; fixed only in 2.x). Nothing is changed in
-- FerretDB: beside each btree index it creates, an event trigger creates a GIN
-- `jsonb_path_ops` index on the same expression, which `@>` can use, and drops
-- it again with its btree index.
--
-- FerretDB sends its statements prepared; a generic plan keeps `$1` a
-- parameter, and `_jsonb -> $1` matches no index expression. A custom plan
-- folds the parameter in, so the planner sees `_jsonb -> '_id'` and takes the
-- mirror.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END
$$;

-- Marks a mirror, so that the drop trigger finds the mirrors of a dropped index.
CREATE OR REPLACE FUNCTION ferretdb_mirror_comment(btree_index text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'ferretdb mirror of ' || btree_index $$;

CREATE OR REPLACE FUNCTION ferretdb_mirror_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
  key_count int;
  key_position int;
  expression text;
  field_names text[];
  mirror_expression text;
  mirror_name text;
BEGIN
  FOR command IN
    SELECT c.objid, i.indrelid, i.indnkeyatts, x.relname AS index_name, n.nspname AS schema_name, am.amname
    FROM pg_event_trigger_ddl_commands() AS c
    JOIN pg_class AS x ON x.oid = c.objid
    JOIN pg_index AS i ON i.indexrelid = c.objid
    JOIN pg_namespace AS n ON n.oid = x.relnamespace
    JOIN pg_am AS am ON am.oid = x.relam
    WHERE c.object_type = 'index'
  LOOP
    -- A mirror is a GIN index: creating it fires this trigger again, and stops here.
    CONTINUE WHEN command.amname <> 'btree';
    key_count := command.indnkeyatts;
    FOR key_position IN 1 .. key_count LOOP
      expression := pg_get_indexdef(command.objid, key_position, false);
      -- Only keys on FerretDB's document column: (_jsonb -> 'a'::text) or
      -- ((_jsonb -> 'a'::text) -> 'b'::text) for the dotted field a.b.
      CONTINUE WHEN expression !~ '^\(*_jsonb -> ''';
      SELECT array_agg(replace(m[1], '''''', '''') ORDER BY ordinality)
        INTO field_names
        FROM regexp_matches(expression, '''((?:[^'']|'''')*)''::text', 'g') WITH ORDINALITY AS t(m, ordinality);
      CONTINUE WHEN field_names IS NULL;
      IF array_length(field_names, 1) = 1 THEN
        mirror_expression := format('(_jsonb -> %L)', field_names[1]);
      ELSE
        mirror_expression := format('(_jsonb #> %L::text[])', field_names::text);
      END IF;
      -- fastupdate off: GIN otherwise queues new entries in a pending list that
      -- every lookup scans whole until a vacuum; measured at 100,000 documents
      -- inserted after the index, findOne({ _id }) took 4.7 ms with it and 1.5
      -- without (npm run bench:db), for inserts a third slower.
      -- Index names are unique per schema and at most 63 bytes: the name says
      -- what it is, the hash makes it unique.
      mirror_name := format('gin_%s_%s', left(command.index_name, 40),
                            left(md5(command.index_name || '#' || key_position), 12));
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
                     mirror_name, command.indrelid::regclass, mirror_expression);
      EXECUTE format('COMMENT ON INDEX %I.%I IS %L', command.schema_name, mirror_name,
                     ferretdb_mirror_comment(command.index_name));
    END LOOP;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION ferretdb_drop_index_mirrors() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  dropped record;
  mirror record;
BEGIN
  FOR dropped IN
    SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects()
    WHERE object_type = 'index' AND original
  LOOP
    FOR mirror IN
      SELECT x.relname FROM pg_class AS x
      JOIN pg_namespace AS n ON n.oid = x.relnamespace
      WHERE n.nspname = dropped.schema_name AND x.relkind = 'i'
        AND obj_description(x.oid, 'pg_class') = ferretdb_mirror_comment(dropped.object_name)
    LOOP
      EXECUTE format('DROP INDEX IF EXISTS %I.%I', dropped.schema_name, mirror.relname);
    END LOOP;
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS ferretdb_mirror_indexes;
CREATE EVENT TRIGGER ferretdb_mirror_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION ferretdb_mirror_indexes();

DROP EVENT TRIGGER IF EXISTS ferretdb_drop_index_mirrors;
CREATE EVENT TRIGGER ferretdb_drop_index_mirrors ON sql_drop
  WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION ferretdb_drop_index_mirrors();
