/*
 * A STAND-IN for Harness's watcher.jar (with the delegate it starts), for tests only: the real one
 * downloads the delegate from a Harness manager and registers it there, which a test cannot have.
 * Started the way the wizard's start.sh starts the real one (java -Dwatchersourcedir=DIR ... -jar
 * watcher.jar config-watcher.yml, in DIR), it reads config-delegate.yml as the delegate does
 * (accountId, delegateToken, delegateName, managerUrl), registers with the loopback manager
 * stand-in (POST <managerUrl>agent/delegates/register, the token in the Authorization header), and
 * writes the delegate's own log lines to delegate.log in DIR: "Registering delegate with delegate
 * name: <name>", then "Delegate registered with id <id>" and "Sent 1 heartbeat calls to manager"
 * when the manager accepts it (reference/next-platforms.md; harness-core DelegateAgentServiceImpl).
 * The real delegate serves GET /api/health on port 3460 (2xx while its socket and heartbeats are
 * up, DelegateHealthMonitor). The stand-ins of one test share the machine's network, so each serves
 * it on the port a test writes in standin-health-port in DIR (none: no health endpoint), answering
 * 200 once registered, or the status a test writes in standin-health-status (a delegate whose log
 * says registered but whose health fails).
 */
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

public class HarnessWatcherStandin {
  static Path log = Path.of("delegate.log");

  static void log(String level, String text) throws IOException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"));
    String line = stamp + " [main] " + level + "  io.harness.delegate.service.DelegateAgentServiceImpl - " + text + "\n";
    Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static Map<String, String> read(String file) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String raw : Files.readAllLines(Path.of(file))) {
      String line = raw.strip();
      if (line.startsWith("- ")) line = line.substring(2);
      int colon = line.indexOf(':');
      if (line.startsWith("#") || colon <= 0) continue;
      String value = line.substring(colon + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
      values.put(line.substring(0, colon).strip(), value);
    }
    return values;
  }

  static volatile boolean registered = false;

  static void serveHealth() throws IOException {
    Path portFile = Path.of("standin-health-port");
    if (!Files.exists(portFile)) return;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(Files.readString(portFile).strip())), 0);
    server.createContext("/api/health", exchange -> {
      Path statusFile = Path.of("standin-health-status");
      int code = Files.exists(statusFile) ? Integer.parseInt(Files.readString(statusFile).strip()) : registered ? 200 : 503;
      byte[] body = (code / 100 == 2 ? "healthy (stand-in)" : "unhealthy (stand-in): socket closed or heartbeats failing").getBytes();
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  public static void main(String[] args) throws Exception {
    serveHealth();
    Map<String, String> c = read("config-delegate.yml");
    String name = c.getOrDefault("delegateName", "");
    log("INFO", "Registering delegate with delegate name: " + name);
    HttpRequest request = HttpRequest.newBuilder(URI.create(c.get("managerUrl") + "agent/delegates/register?accountId=" + c.get("accountId")))
        .header("Authorization", "Delegate " + c.get("delegateToken"))
        .header("X-Delegate-Name", name)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      registered = true;
      log("INFO", "Delegate registered with id " + response.body().strip());
      log("INFO", "Sent 1 heartbeat calls to manager");
    } else {
      log("ERROR", "stand-in: the manager refused the registration (" + response.statusCode() + ")");
    }
    while (true) Thread.sleep(1000);
  }
}
