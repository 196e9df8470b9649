package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.alerts.ConnectWiseServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code console:} section in a real browser: Debian's headless Chromium, driven by Selenium
 * through Debian's chromedriver, against a running hooks-server with the admin API, a loopback
 * Discord (answering 204 as its execute-webhook route does) and the alerts router (over a
 * loopback ConnectWise) whose maintenance and incidents the console shows, a {@code deploy:}
 * service (never built: a local repository path, its history empty) and a notify route. Each page's screenshot is saved
 * under {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
  private static final String TOKEN = "console-admin-token-5d8e1f0a";
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String DISCORD_PATH = "/api/webhooks/1180000000000000001/loopback-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final String CONFIG = """
      endpoints:
        - id: static
          provider: generic
          verifier:
            scheme: none
        - id: deploy-github
          provider: github
          verifier:
            secrets: ["deploy-github-secret-0123456789"]
      routes:
        - name: static-events
          match: {endpoint: static}
          handlers: [print]
        - name: failed-pipelines
          match: {provider: gitlab}
          handlers: [chat]
      handlers:
        print:
          type: log
        chat:
          type: notify
          targets: [team-slack]
          filter: {type: [ci.pipeline], action: [failed]}
      notify:
        discord:
          url: ${DISCORD_URL}
          allow-plain-http: true
        team-slack:
          type: slack
          url: https://hooks.slack.com/services/T0000000/B0000000/slack-hook-secret-4c2e
      deploy:
        services:
          web:
            repository: ${DEPLOY_REPO}
            endpoints: [deploy-github]
            network: console-pages-unused
            alias: console-pages-web
            port: 8000
      admin:
        token: ${ADMIN_TOKEN}
        tokens:
          ops: console-ops-token-9b7d3e21
      console:
        enabled: true
      alerts:
        encryption-key: ${KEY}
        admin-token: ${ADMIN_TOKEN}
        sinks:
          connectwise:
            url: ${CW_URL}
            company: acme
            public-key: pub
            private-key: priv
            client-id: client-1
            board: Alerts
            status-new: New
            status-closed: Closed
        endpoints:
          - id: kuma
            token: kuma-token-0123456789
            trigger: {path: $.heartbeat.status, open: ["0"], close: ["1"]}
            mapping: {summary: $.monitor.name, description: $.heartbeat.msg}
      """;

  @TempDir static Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> discordMessages = new CopyOnWriteArrayList<>();
  private HttpServer discord;
  private ConnectWiseServer cw;
  private HooksServer server;
  /** The {@code log} handler's lines: one per handled event, so a replay adds one. */
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private ChromeDriverService service;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  void start() throws Exception {
    discord = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    discord.createContext(DISCORD_PATH, exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        discordMessages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(204, -1);
      } finally {
        exchange.close();
      }
    });
    discord.start();
    cw = ConnectWiseServer.standard();
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, CONFIG);
    server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")),
        Map.of("ADMIN_TOKEN", TOKEN, "KEY", KEY, "CW_URL", cw.url(), "DEPLOY_REPO", dir.resolve("no-repo").toUri().toString(),
            "DISCORD_URL", "http://127.0.0.1:" + discord.getAddress().getPort() + DISCORD_PATH),
        new java.io.PrintStream(printed, true, StandardCharsets.UTF_8), Map.of());

    Files.createDirectories(SHOTS);
    // Debian's chromium and chromedriver: no Selenium Manager download
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-"));
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
    if (cw != null) {
      cw.close();
    }
    if (discord != null) {
      discord.stop(0);
    }
  }

  @BeforeEach
  void loggedOut() {
    browser.manage().deleteAllCookies();
    browser.get(console(""));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  @Test
  void aWrongTokenIsRefusedAndTheAdminTokenOpensTheDashboard() throws Exception {
    browser.findElement(By.id("token")).sendKeys("not-the-admin-token-000");
    browser.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not an admin token"));
    shot("login");

    login();

    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin");
    assertThat(browser.findElement(By.id("count-done")).getText()).matches("\\d+");
    Map<String, Object> cookie = Map.of("httpOnly", browser.manage().getCookieNamed("hooks_console").isHttpOnly(),
        "sameSite", browser.manage().getCookieNamed("hooks_console").getSameSite());
    assertThat(cookie).containsEntry("httpOnly", true).containsEntry("sameSite", "Strict");
  }

  @Test
  void aDeliverySentAppearsInTheLiveFeedWithinASecondAndItsRowOpensIt() throws Exception {
    login();
    HttpResponse<String> sent = deliver("{\"message\":\"build 7 passed\",\"n\":" + System.nanoTime() + "}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String requestId = JSON.readTree(sent.body()).path("request_id").asText();

    WebElement row = new WebDriverWait(browser, Duration.ofSeconds(1))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-rows tr[data-request-id='" + requestId + "']")));
    assertThat(row.getText()).contains("static").contains("202");
    assertThat(browser.findElement(By.id("count-accepted")).getText()).isNotEqualTo("0");
    shot("dashboard");
    row.click();
    wait.until(ExpectedConditions.urlContains("#/delivery/" + requestId));
  }

  @Test
  void aDeliveryOpensWithItsBodyAndIsReplayedAfterConfirmation() throws Exception {
    login();
    HttpResponse<String> sent = deliver("{\"message\":\"build 7 passed\",\"n\":" + System.nanoTime() + "}");
    String requestId = JSON.readTree(sent.body()).path("request_id").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(JSON.readTree(admin("GET", "/admin/deliveries/" + requestId).body())
        .path("status").asText()));

    browser.get(console("#/delivery/" + requestId));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#delivery-detail [data-field=request_id]"), requestId));
    assertThat(browser.findElement(By.id("delivery-body")).getText()).contains("build 7 passed");
    assertThat(browser.findElement(By.id("delivery-headers")).getText()).containsIgnoringCase("content-type: application/json");
    shot("delivery");
    String deliveryId = browser.findElement(By.cssSelector("#delivery-detail [data-field=delivery_id]")).getText();
    assertThat(handled(deliveryId)).isEqualTo(1);
    browser.findElement(By.id("replay")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-text"), requestId));
    browser.findElement(By.id("confirm-ok")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "Replay queued"));
    await().atMost(Duration.ofSeconds(10)).until(() -> handled(deliveryId) == 2);
  }

  private long handled(String deliveryId) {
    return printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("event ") && l.endsWith("id=" + deliveryId)).count();
  }

  @Test
  void theHistoryListsDeliveriesNewestFirstAndFiltersByStatus() throws Exception {
    String first = JSON.readTree(deliver("{\"message\":\"first\",\"n\":" + System.nanoTime() + "}").body()).path("request_id").asText();
    String second = JSON.readTree(deliver("{\"message\":\"second\",\"n\":" + System.nanoTime() + "}").body()).path("request_id").asText();
    login();
    browser.get(console("#/history"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#history-results tbody tr")));
    String text = browser.findElement(By.id("history-results")).getText();
    assertThat(text).contains(first).contains(second);
    assertThat(text.indexOf(second)).isLessThan(text.indexOf(first));
    shot("history");

    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByValue("dead");
    browser.findElement(By.id("history-search")).click();
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("history-results"), first)));

    browser.get(console("#/dead-letters"));
    wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("no-dead-letters")),
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#page table"))));
    shot("dead-letters");
  }

  @Test
  void anEndpointNameHoldingAScriptIsShownInTheFeedAsTextAndRunsNothing() throws Exception {
    login();
    String name = "%3Cimg%20src=x%20onerror=%22window.__xss=1%22%3E%3Csvg%20onload=%22window.__xss=2%22%3E%3Cscript%3Ewindow.__xss=3";
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base() + "/hooks/" + name))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    String requestId = JSON.readTree(unknown.body()).path("request_id").asText();

    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-rows tr[data-request-id='" + requestId + "']")));

    assertThat(row.getText()).contains("404");
    assertThat(row.getText()).contains("<img src=x onerror=");
    assertThat(browser.findElements(By.cssSelector("#feed-rows img, #feed-rows svg, #feed-rows script"))).isEmpty();
    assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
  }

  @Test
  void aDeliveryWhoseFieldsHoldScriptsIsShownAsTextAndRunsNothing() throws Exception {
    String payload = "{\"message\":\"<script>window.__xss='body'</script>\",\"api_token\":\"tok-live-5f3a9c\",\"html\":\"<img src=x onerror=\\\"window.__xss='img'\\\">\","
        + "\"n\":" + System.nanoTime() + "}";
    login();
    String requestId = JSON.readTree(deliver(payload).body()).path("request_id").asText();
    HttpResponse<String> notJson = deliver("<script>window.__xss='feed'</script><img src=x onerror=\"window.__xss='feed-img'\">");
    assertThat(notJson.statusCode()).isEqualTo(400);
    String rejectedId = JSON.readTree(notJson.body()).path("request_id").asText();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-rows tr[data-request-id='" + rejectedId + "']")));

    browser.get(console("#/delivery/" + requestId));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("delivery-body"), "<script>window.__xss='body'</script>"));
    assertThat(browser.findElement(By.id("delivery-body")).getText()).contains("<img src=x onerror=");
    assertThat(browser.findElements(By.cssSelector("#page script, #page img"))).isEmpty();
    assertThat(browser.findElement(By.id("delivery-body")).getText()).contains("api_token").doesNotContain("tok-live-5f3a9c");
    assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
  }

  @Test
  void anEndpointCreatedInTheConsoleShowsItsSecretOnceTakesADeliveryAndIsDeletedAfterConfirmation() throws Exception {
    login();
    browser.get(console("#/endpoints"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("create-endpoint"))).click();
    String url = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-url"))).getText();
    String secret = browser.findElement(By.id("created-secret")).getText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
    String id = url.substring(url.lastIndexOf('/') + 1);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-action=delete][data-id='" + id + "']")));
    shot("endpoints");

    HttpResponse<String> delivered = http.send(GitHubDeliveries.push(URI.create(base() + "/hooks/" + id), secret,
        "c0ffee00-console-" + id, GitHubDeliveries.pushPayload()), HttpResponse.BodyHandlers.ofString());
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> !discordMessages.isEmpty());

    browser.navigate().refresh();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action=delete][data-id='" + id + "']"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-text")));
    assertThat(browser.findElement(By.id("confirm-text")).getText()).contains(id);
    browser.findElement(By.id("confirm-ok")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("button[data-action=delete][data-id='" + id + "']")));

    assertThat(admin("GET", "/admin/endpoints/" + id).statusCode()).isEqualTo(404);
    assertThat(browser.getPageSource()).doesNotContain(secret);
  }

  @Test
  void atPhoneWidthThePagesFitWithoutScrollingSideways() throws Exception {
    try {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
      login();
      for (String page : List.of("dashboard", "history", "endpoints", "deployments", "notifications", "incidents")) {
        browser.get(console("#/" + page));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#page h1")));
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth")).as(page).isLessThanOrEqualTo(0L);
      }
      browser.get(console("#/dashboard"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("count-done")));
      shot("dashboard-phone");
    } finally {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }
  }

  @Test
  void maintenanceIsToggledAfterConfirmation() throws Exception {
    login();
    browser.get(console("#/maintenance"));
    WebElement state = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("maintenance-state")));
    boolean before = state.getText().equals("on");
    browser.findElement(By.id("maintenance-toggle")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("maintenance-state"), before ? "off" : "on"));
    shot("maintenance");

    JsonNode m = JSON.readTree(admin("GET", "/admin/maintenance").body());
    assertThat(m.path("maintenance").asBoolean()).isEqualTo(!before);
    admin("POST", "/admin/maintenance", "{\"enabled\":" + before + "}");
  }

  @Test
  void theDeploymentsPageListsTheServiceAndARollbackWithNothingToRollBackToShowsTheApiError() throws Exception {
    login();
    browser.get(console("#/deployments"));
    WebElement web = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section[data-service=web]")));
    assertThat(web.findElement(By.tagName("h2")).getText()).isEqualTo("web");
    assertThat(web.findElement(By.cssSelector("[data-empty=history]")).getText()).isEqualTo("No deployments yet.");
    assertThat(web.findElement(By.cssSelector("[data-field=status]")).getText())
        .isEqualTo(JSON.readTree(admin("GET", "/admin/deploy/services/web").body()).path("status").asText());
    shot("deployments");

    web.findElement(By.cssSelector("button[data-action=rollback]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-text"), "Roll web back"));
    browser.findElement(By.id("confirm-cancel")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-result=web]"), "Rollback cancelled."));
    assertThat(JSON.readTree(admin("GET", "/admin/deploy/services/web/deployments").body())).isEmpty();

    web.findElement(By.cssSelector("button[data-action=rollback]")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    // the 409 answer's message of DeployAdminServlet
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-result=web]"),
        "service web has no previous deployment"));
    shot("deployments-rollback-refused");
  }

  @Test
  void aRouteRefusingTheSessionsTokenShowsItsErrorAndKeepsTheSession() throws Exception {
    login("console-ops-token-9b7d3e21");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("ops");
    browser.get(console("#/deployments"));
    // the deploy routes take admin.token only
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#page .error"), "does not accept the token"));
    assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
    browser.get(console("#/notifications"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page"), "team-slack"));
  }

  @Test
  void theNotificationsPageShowsTargetsAndRoutesAndNoWebhookToken() throws Exception {
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base() + "/admin/notify")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> api = admin("GET", "/admin/notify");
    assertThat(api.statusCode()).isEqualTo(200);
    login();
    browser.get(console("#/notifications"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page"), "failed-pipelines"));
    List<String> targets = browser.findElements(By.cssSelector("#page table")).get(0).findElements(By.cssSelector("tbody tr"))
        .stream().map(WebElement::getText).toList();
    assertThat(targets).containsExactly("discord discord http://127.0.0.1:" + discord.getAddress().getPort(),
        "team-slack slack https://hooks.slack.com");
    String routes = browser.findElements(By.cssSelector("#page table")).get(1).getText();
    assertThat(routes).contains("failed-pipelines").contains("provider: gitlab").contains("chat")
        .contains("type: ci.pipeline; action: failed").contains("team-slack").doesNotContain("static-events");
    shot("notifications");

    for (String secret : List.of("loopback-token", "1180000000000000001", "slack-hook-secret-4c2e", "T0000000")) {
      assertThat(browser.getPageSource()).doesNotContain(secret);
      assertThat(api.body()).doesNotContain(secret);
    }
  }

  @Test
  void anIncidentOpenedByAnAlertIsListedWithItsTicketAndMovesToClosedWhenResolved() throws Exception {
    int before = cw.tickets().size();
    // Uptime Kuma's published "Webhook" notifications (hooks-alerts' test payloads)
    HttpResponse<String> down = kuma(dev.hooks.alerts.Payloads.text("uptime-kuma/down-timeout.json"));
    assertThat(down.statusCode()).as(down.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == before + 1);
    String ticket = String.valueOf(cw.tickets().get(before).id);

    login();
    browser.get(console("#/incidents"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#incident-list table")));
    String open = browser.findElement(By.id("incident-list")).getText();
    assertThat(open).contains("open").contains("connectwise").contains(ticket);
    shot("incidents");

    HttpResponse<String> up = kuma(dev.hooks.alerts.Payloads.text("uptime-kuma/up.json"));
    assertThat(up.statusCode()).as(up.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(cw.tickets().get(before).status));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("incident-status"))).selectByValue("closed");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), ticket));
    assertThat(browser.findElement(By.id("incident-list")).getText()).contains("closed");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("incident-status"))).selectByValue("open");
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), ticket)));
    assertThat(admin("GET", "/admin/incidents?status=pending").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> kuma(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/webhook/kuma")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer kuma-token-0123456789").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStateChangingCallWithoutTheCsrfTokenIsRefused403() throws Exception {
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(console("login")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = JSON.readTree(login.body()).path("csrf").asText();

    HttpResponse<String> without = http.send(HttpRequest.newBuilder(URI.create(console("api/admin/endpoints")))
        .header("Cookie", cookie).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"custom\"}")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(console("api/admin/maintenance")))
        .header("Cookie", cookie).header("X-CSRF-Token", csrf + "x").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> with = http.send(HttpRequest.newBuilder(URI.create(console("api/admin/endpoints")))
        .header("Cookie", cookie).header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"custom\"}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(without.body()).path("error").asText()).isEqualTo("csrf");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(admin("GET", "/admin/maintenance").body()).path("maintenance").asBoolean()).isFalse();
    assertThat(with.statusCode()).as(with.body()).isEqualTo(201);
    admin("DELETE", "/admin/endpoints/" + JSON.readTree(with.body()).path("id").asText());
  }

  @Test
  void everyAnswerCarriesAPolicyWithoutInlineScripts() throws Exception {
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console(""))).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(console("api/admin/endpoints"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("script-src 'self'").doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
    assertThat(page.body()).doesNotContain("<script>").contains("<script type=\"module\" src=\"assets/app.js\">");
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> deliver(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/hooks/static")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void login() throws Exception {
    login(TOKEN);
  }

  private void login(String adminToken) throws Exception {
    WebElement token = browser.findElement(By.id("token"));
    token.clear();
    token.sendKeys(adminToken);
    browser.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("count-done")));
    wait.until(ExpectedConditions.textToBe(By.id("feed-state"), "live"));
  }

  private void shot(String name) throws Exception {
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private String console(String rest) {
    return base() + "/console/" + rest;
  }

  private HttpResponse<String> admin(String method, String path) throws Exception {
    return admin(method, path, null);
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
