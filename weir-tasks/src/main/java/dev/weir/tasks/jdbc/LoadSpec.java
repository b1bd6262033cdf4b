package dev.weir.tasks.jdbc;

import java.util.List;

/** What one load does, taken from the task's config. */
record LoadSpec(
    LoadMode mode,
    List<String> key,
    JdbcLoadTask.Partition partition,
    SchemaChanges schemaChanges) {}
