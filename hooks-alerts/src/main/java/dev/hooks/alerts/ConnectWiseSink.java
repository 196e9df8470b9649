package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.internal.Http;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * ConnectWise Manage REST (API 3.0): {@code POST /service/tickets} opens (summary, board,
 * company, priority, status {@code CW_STATUS_NEW}), {@code POST /service/tickets/{id}/notes}
 * notes, {@code PATCH /service/tickets/{id}} with {@code status/name} closes ({@code
 * CW_STATUS_CLOSED}) or reopens. Authenticates as ConnectWise documents: {@code Authorization:
 * Basic base64(company+publicKey:privateKey)} and a {@code clientId} header. An error answer's
 * body, such as {@code {"code":"InvalidObject","message":"...","errors":[...]}}, is the failure's
 * reason. Only the configured base URL is ever called. Thread-safe.
 */
public final class ConnectWiseSink implements IncidentSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String base;
  private final String authorization;
  private final String clientId;
  private final String board;
  private final @Nullable String company;
  private final @Nullable String priority;
  private final String statusNew;
  private final String statusClosed;
  private final Http http;

  private ConnectWiseSink(Builder b) {
    this.name = b.name;
    this.base = b.url;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (b.company + "+" + b.publicKey + ":" + b.privateKey).getBytes(StandardCharsets.UTF_8));
    this.clientId = b.clientId;
    this.board = b.board;
    this.company = b.defaultCompany;
    this.priority = b.priority;
    this.statusNew = b.statusNew;
    this.statusClosed = b.statusClosed;
    this.http = new Http(b.timeout);
  }

  /** @param url the API base, ending in {@code /v4_6_release/apis/3.0} */
  public static Builder builder(String name, String url) {
    return new Builder(name, url);
  }

  @Override
  public String name() {
    return name;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(Http.uri(base, path)).header("Authorization", authorization).header("clientId", clientId)
        .header("Accept", "application/json").header("Content-Type", "application/json");
  }

  @Override
  public String open(Ticket t) throws SinkException {
    ObjectNode body = JSON.createObjectNode();
    body.put("summary", t.summary());
    body.put("initialDescription", t.description().isEmpty() ? t.summary() : t.description());
    body.putObject("board").put("name", t.board() != null ? t.board() : board);
    String c = t.company() != null ? t.company() : company;
    if (c != null) {
      body.putObject("company").put("identifier", c);
    }
    String p = t.priority() != null ? t.priority() : priority;
    if (p != null) {
      body.putObject("priority").put("name", p);
    }
    body.putObject("status").put("name", t.status() != null ? t.status() : statusNew);
    String answer = http.send(request("/service/tickets").POST(HttpRequest.BodyPublishers.ofString(body.toString())), "ConnectWise create ticket");
    try {
      JsonNode id = JSON.readTree(answer).path("id");
      if (!id.canConvertToLong()) {
        throw new SinkException("ConnectWise create ticket answered without an id: " + answer, false);
      }
      return id.asText();
    } catch (IOException e) {
      throw new SinkException("ConnectWise create ticket answered no JSON: " + answer, false, e);
    }
  }

  @Override
  public void note(String ref, Ticket t, String text) throws SinkException {
    ObjectNode body = JSON.createObjectNode();
    body.put("text", text);
    body.put("detailDescriptionFlag", false);
    body.put("internalAnalysisFlag", true);
    http.send(request("/service/tickets/" + ref + "/notes").POST(HttpRequest.BodyPublishers.ofString(body.toString())), "ConnectWise add note");
  }

  @Override
  public void close(String ref, Ticket t) throws SinkException {
    status(ref, statusClosed, "ConnectWise close ticket");
  }

  @Override
  public void reopen(String ref, Ticket t) throws SinkException {
    status(ref, t.status() != null ? t.status() : statusNew, "ConnectWise reopen ticket");
    note(ref, t, "Reopened: " + t.summary());
  }

  private void status(String ref, String status, String what) throws SinkException {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "status/name").put("value", status);
    http.send(request("/service/tickets/" + ref).method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString())), what);
  }

  /** An open ticket of the same summary on the board, as HookWise looks one up before creating. */
  @Override
  public Optional<String> findOpen(Ticket t) throws SinkException {
    String conditions = "summary=\"" + t.summary().replace("\"", "\\\"") + "\" AND closedFlag=false";
    String answer = http.send(request("/service/tickets?conditions=" + URLEncoder.encode(conditions, StandardCharsets.UTF_8)
        + "&fields=id&pageSize=1").GET(), "ConnectWise find ticket");
    try {
      JsonNode list = JSON.readTree(answer);
      return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0).path("id").asText()) : Optional.empty();
    } catch (IOException e) {
      throw new SinkException("ConnectWise find ticket answered no JSON", true, e);
    }
  }

  /**
   * The service boards, as ConnectWise answers {@code GET /service/boards} (a JSON array, up to
   * 1000 boards): the body, unchanged.
   *
   * @throws SinkException with ConnectWise's status and error body, or the I/O failure
   */
  public String boards() throws SinkException {
    return http.send(request("/service/boards?pageSize=1000").GET(), "ConnectWise GET /service/boards");
  }

  @Override
  public String toString() {
    return "ConnectWiseSink[" + name + " " + base + "]";
  }

  /** Builds a {@link ConnectWiseSink}. Not thread-safe. Never printed: it holds the keys. */
  public static final class Builder {
    private final String name;
    private final String url;
    private @Nullable String company;
    private @Nullable String publicKey;
    private @Nullable String privateKey;
    private @Nullable String clientId;
    private @Nullable String board;
    private @Nullable String defaultCompany;
    private @Nullable String priority;
    private @Nullable String statusNew;
    private @Nullable String statusClosed;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(String name, String url) {
      this.name = Objects.requireNonNull(name, "name");
      this.url = Objects.requireNonNull(url, "url");
    }

    /** The login company (CW_COMPANY), the first part of the user name. */
    public Builder credentials(String company, String publicKey, String privateKey, String clientId) {
      this.company = company;
      this.publicKey = publicKey;
      this.privateKey = privateKey;
      this.clientId = clientId;
      return this;
    }

    public Builder board(String board) {
      this.board = board;
      return this;
    }

    /** The company identifier of tickets whose alert names none. */
    public Builder defaultCompany(@Nullable String company) {
      this.defaultCompany = company;
      return this;
    }

    public Builder priority(@Nullable String priority) {
      this.priority = priority;
      return this;
    }

    public Builder statuses(String statusNew, String statusClosed) {
      this.statusNew = statusNew;
      this.statusClosed = statusClosed;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** @throws IllegalArgumentException naming the missing setting */
    public ConnectWiseSink build() {
      String where = "connectwise sink '" + name + "'";
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw new IllegalArgumentException(where + ": url '" + url + "' is not http(s); set it to https://<host>/v4_6_release/apis/3.0 (CW_URL)");
      }
      require(company, where + ": company is empty; set it to ${CW_COMPANY}");
      require(publicKey, where + ": public-key is empty; set it to ${CW_PUBLIC_KEY}");
      require(privateKey, where + ": private-key is empty; set it to ${CW_PRIVATE_KEY}");
      require(clientId, where + ": client-id is empty; set it to ${CW_CLIENT_ID}");
      require(board, where + ": board is empty; set it to ${CW_SERVICE_BOARD}");
      require(statusNew, where + ": status-new is empty; set it to ${CW_STATUS_NEW}");
      require(statusClosed, where + ": status-closed is empty; set it to ${CW_STATUS_CLOSED}");
      return new ConnectWiseSink(this);
    }

    private static void require(@Nullable String v, String message) {
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
