// LanceDB's Rust core logs warnings straight to stderr through env_logger (e.g. "No
// existing dataset … will be created" on every new table). Keep only errors unless the
// user asked for more; this module must be imported before @lancedb/lancedb.
process.env.LANCEDB_LOG ??= "error";
