-- Coordinator.create's one catalog query: what exists of lock-core's schema in the connection's database.
--   ('column', table, column, NULL, NULL) for each column of lockstep_run, lockstep_lease and lockstep_key_lock;
--   ('index', table, its columns in order, unique, predicate) for lockstep_run_one_active_per_key, if it exists.
--   A column that is the key's hash while the run is active stands for run_key, and its expression is the
--   predicate. Unique means unique in InnoDB's own B-tree: a long UNIQUE turned USING HASH is checked by the
--   server instead, which has admitted duplicates.
SELECT 'column' AS kind, c.TABLE_NAME AS table_name, c.COLUMN_NAME AS name, NULL AS is_unique, NULL AS predicate
  FROM information_schema.COLUMNS c
 WHERE c.TABLE_SCHEMA = DATABASE()
   AND c.TABLE_NAME IN ('lockstep_run', 'lockstep_lease', 'lockstep_key_lock')
UNION ALL
SELECT 'index', s.TABLE_NAME,
       GROUP_CONCAT(CASE WHEN REPLACE(LOWER(g.GENERATION_EXPRESSION), '`', '') LIKE '%then unhex(sha2(run_key,256))%'
                         THEN 'run_key' ELSE s.COLUMN_NAME END ORDER BY s.SEQ_IN_INDEX),
       CASE WHEN MAX(s.NON_UNIQUE) = 0 AND MAX(s.INDEX_TYPE) = 'BTREE' THEN 'true' ELSE 'false' END,
       MAX(g.GENERATION_EXPRESSION)
  FROM information_schema.STATISTICS s
  LEFT JOIN information_schema.COLUMNS g
    ON g.TABLE_SCHEMA = s.TABLE_SCHEMA AND g.TABLE_NAME = s.TABLE_NAME AND g.COLUMN_NAME = s.COLUMN_NAME
 WHERE s.TABLE_SCHEMA = DATABASE()
   AND s.INDEX_NAME = 'lockstep_run_one_active_per_key'
 GROUP BY s.TABLE_NAME;
