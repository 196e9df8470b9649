package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A loopback server answering as ConnectWise Manage's REST API 3.0 does, for the routes the
 * {@link ConnectWiseSink} calls, after ConnectWise's developer documentation ("Authentication",
 * "Tickets", "Conditions", "Error Handling"):
 * <ul>
 *   <li>every request needs {@code Authorization: Basic base64(company+publicKey:privateKey)}
 *       (else 401 {@code {"code":"Unauthorized","message":"..."}}) and a {@code clientId}
 *       header (else 401 as well);</li>
 *   <li>{@code POST /v4_6_release/apis/3.0/service/tickets} → 201 with the ticket (its
 *       {@code id}); an unknown board or status → 400 {@code {"code":"InvalidObject","message":
 *       "ticket object is invalid","errors":[{"code":"InvalidObject","message":"...","resource":
 *       "ticket","field":"board"}]}};</li>
 *   <li>{@code GET .../service/tickets?conditions=summary="..." AND closedFlag=false} → an array;</li>
 *   <li>{@code POST .../service/tickets/{id}/notes} → 201; {@code PATCH .../service/tickets/{id}}
 *       with a JSON Patch of {@code status/name} → 200; an unknown id → 404
 *       {@code {"code":"NotFound","message":"Ticket ID N not found"}}.</li>
 * </ul>
 * {@link #failNext} makes the next requests answer 500 as ConnectWise does when it is down
 * ({@code {"code":"UnexpectedServerError","message":"An unexpected server error has occurred"}}).
 */
public final class ConnectWiseServer implements AutoCloseable {
  public static final String BASE_PATH = "/v4_6_release/apis/3.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUMMARY_CONDITION = Pattern.compile("summary=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One ticket as the server keeps it. */
  public static final class Ticket {
    public final int id;
    public final String summary;
    public final String initialDescription;
    public final String board;
    public final String company;
    public final String priority;
    public volatile String status;
    public final List<String> notes = new CopyOnWriteArrayList<>();
    public final List<String> statusChanges = new CopyOnWriteArrayList<>();

    Ticket(int id, String summary, String initialDescription, String board, String company, String priority, String status) {
      this.id = id;
      this.summary = summary;
      this.initialDescription = initialDescription;
      this.board = board;
      this.company = company;
      this.priority = priority;
      this.status = status;
    }
  }

  /** One request as received. */
  public record Received(String method, String path, String query, String authorization, String clientId, String body) {}

  private final Server server;
  private final String expectedAuthorization;
  private final String clientId;
  private final Set<String> boards;
  private final Set<String> statuses;
  private final String closedStatus;
  private final Map<Integer, Ticket> tickets = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger(1000);
  private final AtomicInteger failures = new AtomicInteger();

  /**
   * @param boards the boards that exist
   * @param statuses the statuses that exist on them
   * @param closedStatus the status whose tickets are closed ({@code closedFlag=true})
   */
  public ConnectWiseServer(String company, String publicKey, String privateKey, String clientId, Set<String> boards,
      Set<String> statuses, String closedStatus) throws Exception {
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((company + "+" + publicKey + ":" + privateKey).getBytes(StandardCharsets.UTF_8));
    this.clientId = clientId;
    this.boards = Set.copyOf(boards);
    this.statuses = Set.copyOf(statuses);
    this.closedStatus = closedStatus;
    this.server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery() == null ? "" : request.getHttpURI().getQuery();
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String cid = request.getHeaders().get("clientId");
        received.add(new Received(request.getMethod(), path, query, auth, cid, body));
        Answer a = answer(request.getMethod(), path, query, auth, cid, body);
        response.setStatus(a.status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, a.body, callback);
        return true;
      }
    });
    server.start();
  }

  /** The default server of the tests: company {@code acme}, keys {@code pub}/{@code priv}, client {@code client-1}. */
  public static ConnectWiseServer standard() throws Exception {
    return new ConnectWiseServer("acme", "pub", "priv", "client-1", Set.of("Alerts", "Database Team", "Frontend Team"),
        Set.of("New", "Closed", "In Progress"), "Closed");
  }

  private record Answer(int status, String body) {}

  private static Answer error(int status, String code, String message) {
    return new Answer(status, JSON.createObjectNode().put("code", code).put("message", message).toString());
  }

  private static Answer invalid(String field, String message) {
    ObjectNode b = JSON.createObjectNode().put("code", "InvalidObject").put("message", "ticket object is invalid");
    b.putArray("errors").addObject().put("code", "InvalidObject").put("message", message).put("resource", "ticket").put("field", field);
    return new Answer(400, b.toString());
  }

  private Answer answer(String method, String path, String query, String auth, String cid, String body) throws Exception {
    if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      return error(500, "UnexpectedServerError", "An unexpected server error has occurred");
    }
    if (!expectedAuthorization.equals(auth)) {
      return error(401, "Unauthorized", "Authentication failed: the company, public key or private key is wrong");
    }
    if (!clientId.equals(cid)) {
      return error(401, "Unauthorized", "A clientId header is required for this request");
    }
    if (path.equals(BASE_PATH + "/service/boards") && method.equals("GET")) {
      return new Answer(200, boardsJson());
    }
    if (!path.startsWith(BASE_PATH + "/service/tickets")) {
      return error(404, "NotFound", "The requested resource was not found");
    }
    String rest = path.substring((BASE_PATH + "/service/tickets").length());
    if (rest.isEmpty() && method.equals("POST")) {
      JsonNode t = JSON.readTree(body);
      String board = t.path("board").path("name").asText("");
      String status = t.path("status").path("name").asText("");
      if (t.path("summary").asText("").isEmpty()) {
        return invalid("summary", "summary is required");
      }
      if (t.path("summary").asText().length() > 100) {
        return invalid("summary", "summary must be 100 characters or less");
      }
      if (!boards.contains(board)) {
        return invalid("board", "Board '" + board + "' was not found");
      }
      if (!statuses.contains(status)) {
        return invalid("status", "Status '" + status + "' is not valid for board " + board);
      }
      int id = ids.incrementAndGet();
      Ticket k = new Ticket(id, t.path("summary").asText(), t.path("initialDescription").asText(""), board,
          t.path("company").path("identifier").asText(null), t.path("priority").path("name").asText(null), status);
      tickets.put(id, k);
      return new Answer(201, view(k).toString());
    }
    if (rest.isEmpty() && method.equals("GET")) {
      String conditions = "";
      for (String part : query.split("&")) {
        if (part.startsWith("conditions=")) {
          conditions = URLDecoder.decode(part.substring("conditions=".length()), StandardCharsets.UTF_8);
        }
      }
      Matcher m = SUMMARY_CONDITION.matcher(conditions);
      String summary = m.find() ? m.group(1).replace("\\\"", "\"") : null;
      boolean openOnly = conditions.contains("closedFlag=false");
      ArrayNode out = JSON.createArrayNode();
      tickets.values().stream().sorted((x, y) -> Integer.compare(x.id, y.id))
          .filter(k -> summary == null || k.summary.equals(summary))
          .filter(k -> !openOnly || !k.status.equals(closedStatus))
          .forEach(k -> out.addObject().put("id", k.id));
      return new Answer(200, out.toString());
    }
    Matcher id = Pattern.compile("/(\\d+)(/notes)?").matcher(rest);
    if (!id.matches()) {
      return error(404, "NotFound", "The requested resource was not found");
    }
    Ticket k = tickets.get(Integer.parseInt(id.group(1)));
    if (k == null) {
      return error(404, "NotFound", "Ticket ID " + id.group(1) + " not found");
    }
    if (id.group(2) != null && method.equals("POST")) {
      JsonNode n = JSON.readTree(body);
      if (n.path("text").asText("").isEmpty()) {
        return error(400, "InvalidObject", "text is required");
      }
      k.notes.add(n.path("text").asText());
      return new Answer(201, JSON.createObjectNode().put("id", k.notes.size()).put("ticketId", k.id).put("text", n.path("text").asText())
          .toString());
    }
    if (id.group(2) == null && method.equals("PATCH")) {
      JsonNode ops = JSON.readTree(body);
      for (JsonNode op : ops) {
        if (op.path("path").asText().equals("status/name")) {
          String s = op.path("value").asText();
          if (!statuses.contains(s)) {
            return invalid("status", "Status '" + s + "' is not valid for board " + k.board);
          }
          k.status = s;
          k.statusChanges.add(s);
        }
      }
      return new Answer(200, view(k).toString());
    }
    return error(405, "MethodNotAllowed", "The requested method is not allowed");
  }

  private ObjectNode view(Ticket k) {
    ObjectNode v = JSON.createObjectNode().put("id", k.id).put("summary", k.summary);
    v.putObject("board").put("name", k.board);
    v.putObject("status").put("name", k.status);
    if (k.company != null) {
      v.putObject("company").put("identifier", k.company);
    }
    v.put("closedFlag", k.status.equals(closedStatus));
    return v;
  }

  /** The API base, as {@code CW_URL}. */
  /**
   * {@code GET /service/boards}: a JSON array of the boards in ConnectWise's BoardInfo shape
   * ({@code id}, {@code name}, {@code location} and {@code department} references, {@code
   * projectFlag}, {@code inactiveFlag}, {@code _info}), as the Manage REST API 3.0 answers; the
   * fields are those of the OpenAPI document's Board model (see the SDKs generated from it, such as
   * Jetbuilt/connect_wise {@code docs/BoardInfo.md}), ids in the order of the names.
   */
  private String boardsJson() {
    com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
    int id = 0;
    for (String name : new java.util.TreeSet<>(boards)) {
      id++;
      ObjectNode b = out.addObject().put("id", id).put("name", name);
      b.putObject("location").put("id", 2).put("name", "Tampa Office").putObject("_info")
          .put("location_href", url() + "/system/locations/2");
      b.putObject("department").put("id", 10).put("identifier", "Services").put("name", "Professional Services").putObject("_info")
          .put("department_href", url() + "/system/departments/10");
      b.put("projectFlag", false).put("inactiveFlag", false);
      b.putObject("_info").put("lastUpdated", "2026-11-02T14:05:31Z").put("updatedBy", "admin1");
    }
    return out.toString();
  }

  /** How many requests reached {@code GET /service/boards}. */
  public long boardRequests() {
    return received.stream().filter(r -> r.path().equals(BASE_PATH + "/service/boards")).count();
  }

  public String url() {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + BASE_PATH;
  }

  /** Makes the next {@code n} requests answer 500. */
  public void failNext(int n) {
    failures.set(n);
  }

  public List<Ticket> tickets() {
    List<Ticket> out = new ArrayList<>(tickets.values());
    out.sort((x, y) -> Integer.compare(x.id, y.id));
    return out;
  }

  public Ticket ticket(String id) {
    return tickets.get(Integer.parseInt(id));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
