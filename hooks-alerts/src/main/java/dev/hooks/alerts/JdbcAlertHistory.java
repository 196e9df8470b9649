package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import dev.hooks.HooksException;
import dev.hooks.alerts.internal.Masking;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * {@link AlertHistory} in the database of the {@link JdbcIncidentStore} (H2 or PostgreSQL), so
 * history, replay and stats outlive a restart. Deliveries are kept for replay with sensitive keys
 * masked ({@code ********}), as history shows them; a replay re-runs that masked body. Daily
 * counts are computed from the kept rows, so a purge also drops the days it empties.
 * Thread-safe.
 */
public final class JdbcAlertHistory implements AlertHistory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CollectionType STRINGS = JSON.getTypeFactory().constructCollectionType(List.class, String.class);
  private static final long DAY_MS = 86_400_000L;
  private static final String COLUMNS = "id, endpoint_id, request_id, at_ms, outcome, reason, fingerprint, summary, sink, ticket,"
      + " company_rule, company_candidates, matched_rules, payload";

  private final DataSource ds;

  /** Migrates the schema. @throws HooksException if the database cannot be migrated */
  public JdbcAlertHistory(DataSource ds) {
    this.ds = ds;
    JdbcIncidentStore.migrate(ds);
  }

  @Override
  public void received(String requestId, String endpointId, JsonNode payload, Instant at) {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM hooks_alerts_delivery WHERE request_id = ?")) {
        s.setString(1, requestId);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            return;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO hooks_alerts_delivery (request_id, endpoint_id, at_ms, payload) VALUES (?, ?, ?, ?)")) {
        s.setString(1, requestId);
        s.setString(2, endpointId);
        s.setLong(3, at.toEpochMilli());
        s.setString(4, Masking.mask(payload).toString());
        s.executeUpdate();
      } catch (SQLException duplicate) {
        // another process kept it first
        if (!exists(c, requestId)) {
          throw duplicate;
        }
      }
    } catch (SQLException e) {
      throw new HooksException("cannot keep delivery " + requestId + " in history: " + e.getMessage(), e);
    }
  }

  private static boolean exists(Connection c, String requestId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM hooks_alerts_delivery WHERE request_id = ?")) {
      s.setString(1, requestId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  @Override
  public void record(HistoryEntry e) {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO hooks_alerts_history (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, e.id());
      s.setString(2, e.endpointId());
      s.setString(3, e.requestId());
      s.setLong(4, e.at().toEpochMilli());
      s.setString(5, e.outcome().name());
      s.setString(6, cut(e.reason(), 4000));
      s.setString(7, e.fingerprint());
      s.setString(8, cut(e.summary(), 400));
      s.setString(9, e.sink());
      s.setString(10, e.ticket());
      s.setString(11, cut(e.companyRule(), 400));
      s.setString(12, cut(JSON.writeValueAsString(e.companyCandidates()), 4000));
      s.setString(13, cut(JSON.writeValueAsString(e.matchedRules()), 4000));
      s.setString(14, cut(e.payload(), 1_000_000));
      s.executeUpdate();
    } catch (SQLException | IOException ex) {
      throw new HooksException("cannot record history of " + e.id() + ": " + ex.getMessage(), ex);
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  @Override
  public List<HistoryEntry> recent(int limit) {
    return query("SELECT " + COLUMNS + " FROM hooks_alerts_history ORDER BY seq DESC", null, limit);
  }

  @Override
  public List<HistoryEntry> ofRequest(String requestId) {
    return query("SELECT " + COLUMNS + " FROM hooks_alerts_history WHERE request_id = ? ORDER BY seq", requestId, Integer.MAX_VALUE);
  }

  private List<HistoryEntry> query(String sql, String arg, int limit) {
    try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      if (arg != null) {
        s.setString(1, arg);
      }
      s.setMaxRows(limit);
      List<HistoryEntry> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next() && out.size() < limit) {
          out.add(new HistoryEntry(r.getString(1), r.getString(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
              Outcome.valueOf(r.getString(5)), r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10),
              r.getString(11), JSON.readValue(r.getString(12), STRINGS), JSON.readValue(r.getString(13), STRINGS), r.getString(14)));
        }
      }
      return out;
    } catch (SQLException | IOException e) {
      throw new HooksException("cannot read history: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Stored> stored(String requestId) {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT endpoint_id, payload, at_ms FROM hooks_alerts_delivery WHERE request_id = ?")) {
      s.setString(1, requestId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Stored(r.getString(1), JSON.readTree(r.getString(2)), Instant.ofEpochMilli(r.getLong(3))))
            : Optional.empty();
      }
    } catch (SQLException | IOException e) {
      throw new HooksException("cannot read delivery " + requestId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Map<String, Long>> stats() {
    Map<Long, Map<String, Long>> days = new TreeMap<>();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement s = c.prepareStatement("SELECT at_ms / " + DAY_MS + ", COUNT(*) FROM hooks_alerts_delivery GROUP BY at_ms / " + DAY_MS);
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          days.computeIfAbsent(r.getLong(1), d -> new LinkedHashMap<>()).put("received", r.getLong(2));
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT at_ms / " + DAY_MS + ", outcome, COUNT(*) FROM hooks_alerts_history GROUP BY at_ms / "
          + DAY_MS + ", outcome"); ResultSet r = s.executeQuery()) {
        while (r.next()) {
          days.computeIfAbsent(r.getLong(1), d -> new LinkedHashMap<>()).put(r.getString(2).toLowerCase(Locale.ROOT), r.getLong(3));
        }
      }
    } catch (SQLException e) {
      throw new HooksException("cannot count history: " + e.getMessage(), e);
    }
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Map.Entry<Long, Map<String, Long>> d : days.entrySet()) {
      Map<String, Long> row = new LinkedHashMap<>();
      row.put("received", d.getValue().getOrDefault("received", 0L));
      for (Outcome o : Outcome.values()) {
        String k = o.name().toLowerCase(Locale.ROOT);
        row.put(k, d.getValue().getOrDefault(k, 0L));
      }
      out.put(LocalDate.ofEpochDay(d.getKey()).toString(), row);
    }
    return out;
  }

  @Override
  public void purge(Instant before) {
    try (Connection c = ds.getConnection()) {
      for (String table : List.of("hooks_alerts_history", "hooks_alerts_delivery")) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE at_ms < ?")) {
          s.setLong(1, before.toEpochMilli());
          s.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new HooksException("cannot purge history: " + e.getMessage(), e);
    }
  }
}
