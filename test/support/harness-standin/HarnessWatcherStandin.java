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
 */
import java.io.IOException;
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

  public static void main(String[] args) throws Exception {
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
      log("INFO", "Delegate registered with id " + response.body().strip());
      log("INFO", "Sent 1 heartbeat calls to manager");
    } else {
      log("ERROR", "stand-in: the manager refused the registration (" + response.statusCode() + ")");
    }
    while (true) Thread.sleep(1000);
  }
}
