-- Coordinator.create's one catalog query: what exists of lock-core's schema, found through the
-- connection's search_path as lock-core's own statements find it.
--   ('column', table, column, NULL, NULL) for each column of lockstep_run and lockstep_lease;
--   ('index', table, its columns in order, unique, predicate) for lockstep_run_one_active_per_key, if it
--   exists. Unique means unique and valid: a failed CREATE INDEX CONCURRENTLY leaves an invalid index
--   that enforces nothing.
SELECT 'column' AS kind, c.relname::text AS table_name, a.attname::text AS name, NULL::text AS is_unique, NULL::text AS predicate
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
 WHERE c.oid IN (to_regclass('lockstep_run'), to_regclass('lockstep_lease'))
   AND a.attnum > 0
   AND NOT a.attisdropped
UNION ALL
SELECT 'index', t.relname::text,
       (SELECT string_agg(a.attname, ',' ORDER BY k.position)
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum),
       (i.indisunique AND i.indisvalid)::text,
       pg_get_expr(i.indpred, i.indrelid)
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
 WHERE i.indexrelid = to_regclass('lockstep_run_one_active_per_key');
