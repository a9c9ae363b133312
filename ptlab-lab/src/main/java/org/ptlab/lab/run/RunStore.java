package org.ptlab.lab.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ptlab.io.Json;
import org.ptlab.lab.RunRecord;

/**
 * The run store: one SQLite file ({@code OUT/runs.sqlite}), one row per run, keyed by (experiment, config hash,
 * repeat). WAL journal with {@code synchronous=NORMAL} and one transaction per write, which survives kill -9 with
 * no committed row lost (distributed.md §3, 20,214 transactions over 5 kills). Only the sweep's driver thread
 * calls it (a JDBC connection is not shared across threads).
 *
 * <p>Every write is an upsert guarded by {@code WHERE status <> 'done'}: a finished run is never overwritten, so
 * an outcome delivered twice, or a sweep re-run after a crash, stores each run once.
 */
public final class RunStore implements AutoCloseable {
  /** Bumped when the table changes; an older file is refused rather than misread. */
  static final int SCHEMA_VERSION = 1;

  private static final String COLUMNS = "experiment, config_hash, repeat_index, config_json, seed, status, "
      + "metrics_json, artifacts_json, error, started_at, ended_at, git_commit, jvm, threads";

  private final Connection db;
  private final Path file;

  private RunStore(Connection db, Path file) {
    this.db = db;
    this.file = file;
  }

  /** Opens (creating if needed) the store at {@code file}. */
  public static RunStore open(Path file) throws SQLException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=10000"); // a reader (another ptlab, a test) may hold the file briefly
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.getInt(1);
      }
      if (version != 0 && version != SCHEMA_VERSION) {
        c.close();
        throw new SQLException(file + ": run store schema version " + version + ", this PTLab reads "
            + SCHEMA_VERSION + "; use another --out folder");
      }
      s.execute("CREATE TABLE IF NOT EXISTS runs ("
          + "experiment TEXT NOT NULL, config_hash TEXT NOT NULL, repeat_index INTEGER NOT NULL, "
          + "config_json TEXT NOT NULL, seed INTEGER NOT NULL, "
          + "status TEXT NOT NULL CHECK (status IN ('running','done','error')), "
          + "metrics_json TEXT, artifacts_json TEXT, error TEXT, started_at TEXT, ended_at TEXT, "
          + "git_commit TEXT, jvm TEXT, threads INTEGER, "
          + "PRIMARY KEY (experiment, config_hash, repeat_index))");
      s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new RunStore(c, file);
  }

  public Path file() {
    return file;
  }

  /** Keys ({@code hash#repeat}) of the finished runs of {@code experimentId}: these are never run again. */
  public Set<String> doneKeys(String experimentId) throws SQLException {
    Set<String> keys = new HashSet<>();
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT config_hash, repeat_index FROM runs WHERE experiment = ? AND status = 'done'")) {
      ps.setString(1, experimentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) keys.add(RunTask.key(rs.getString(1), rs.getInt(2)));
      }
    }
    return keys;
  }

  /** Records that {@code task} started (unless it is already done). */
  public void markRunning(RunTask task, Provenance p, int threads, Instant now) throws SQLException {
    upsert(task, RunRecord.RUNNING, null, null, null, now, null, p, threads);
  }

  /**
   * Stores a finished run. Returns false, changing nothing, if the run was already stored as done (a duplicate
   * delivery).
   */
  public boolean finish(RunOutcome o, Provenance p, int threads) throws SQLException {
    if (o.ok()) {
      return upsert(o.task(), RunRecord.DONE, Json.write(o.output().metrics()), Json.write(o.output().artifacts()), null, o.startedAt(), o.endedAt(), p, threads);
    }
    return upsert(o.task(), RunRecord.ERROR, null, null, o.error(), o.startedAt(), o.endedAt(), p, threads);
  }

  private boolean upsert(RunTask t, String status, String metrics, String artifacts, String error, Instant start,
      Instant end, Provenance p, int threads) throws SQLException {
    String sql = "INSERT INTO runs (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        + "ON CONFLICT (experiment, config_hash, repeat_index) DO UPDATE SET status = excluded.status, "
        + "metrics_json = excluded.metrics_json, artifacts_json = excluded.artifacts_json, error = excluded.error, "
        + "started_at = excluded.started_at, ended_at = excluded.ended_at, git_commit = excluded.git_commit, "
        + "jvm = excluded.jvm, threads = excluded.threads, seed = excluded.seed "
        + "WHERE runs.status <> 'done'";
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, t.experimentId());
      ps.setString(2, t.configHash());
      ps.setInt(3, t.repeat());
      ps.setString(4, t.configJson());
      ps.setLong(5, t.seed());
      ps.setString(6, status);
      ps.setString(7, metrics);
      ps.setString(8, artifacts);
      ps.setString(9, error);
      ps.setString(10, start == null ? null : start.toString());
      ps.setString(11, end == null ? null : end.toString());
      ps.setString(12, p.commit());
      ps.setString(13, p.jvm());
      ps.setInt(14, threads);
      return ps.executeUpdate() == 1; // autocommit: one transaction per run
    }
  }

  /** Every stored run of {@code experimentId} (any status), in no particular order. */
  public List<RunRecord> runs(String experimentId) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE experiment = ?")) {
      ps.setString(1, experimentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RunRecord(rs.getString(1), rs.getString(2), Json.parseMap(rs.getString(4)), rs.getInt(3),
              rs.getLong(5), rs.getString(6), Json.parseMap(rs.getString(7)), Json.parseMap(rs.getString(8)),
              rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
              rs.getInt(14)));
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
