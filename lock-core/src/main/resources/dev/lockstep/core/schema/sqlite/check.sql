-- Coordinator.create's one catalog query: what exists of lock-core's schema.
--   ('column', table, column, NULL, NULL) for each column of lockstep_run and lockstep_lease;
--   ('index', table, its columns in order, unique, predicate) for lockstep_run_one_active_per_key, if it
--   exists; the predicate is the text after WHERE in its CREATE statement.
SELECT 'column' AS kind, 'lockstep_run' AS table_name, name, NULL AS is_unique, NULL AS predicate FROM pragma_table_info('lockstep_run')
UNION ALL
SELECT 'column', 'lockstep_lease', name, NULL, NULL FROM pragma_table_info('lockstep_lease')
UNION ALL
SELECT 'index', m.tbl_name,
       (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)),
       (SELECT CASE WHEN l."unique" = 1 THEN 'true' ELSE 'false' END FROM pragma_index_list(m.tbl_name) l WHERE l.name = m.name),
       CASE WHEN instr(upper(m.sql), 'WHERE') > 0 THEN substr(m.sql, instr(upper(m.sql), 'WHERE') + 5) END
  FROM sqlite_master m
 WHERE m.type = 'index'
   AND m.name = 'lockstep_run_one_active_per_key';
