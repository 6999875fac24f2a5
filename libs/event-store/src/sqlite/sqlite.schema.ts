/** The store's tables. `position` is the rowid: SQLite assigns max+1 inside the serialised write transaction, so positions are gap-free. */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  occurred_at    TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id   TEXT    PRIMARY KEY,
  revision    INTEGER NOT NULL,
  hash        TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  subscription_id TEXT    PRIMARY KEY,
  position        INTEGER NOT NULL
) WITHOUT ROWID;
`;
