/*
 * A STAND-IN for Atlassian's atlassian-bamboo-agent-installer-<version>.jar, for tests only: the
 * real installer downloads the agent from a Bamboo server, which a test cannot have. Run the way
 * the wizard's install script runs the real one (java -Dbamboo.home=HOME -jar INSTALLER URL -t
 * TOKEN), it does what reference/platforms.md §2 says the installer does: writes bin/ and conf/
 * under the agent home (conf/wrapper.conf with the server URL and the token as the app parameters
 * after AgentBootstrap, bin/bamboo-agent.sh the stand-in agent), then runs bin/bamboo-agent.sh
 * console in the foreground.
 */
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

public class BambooInstallerStandin {
  public static void main(String[] args) throws Exception {
    String home = System.getProperty("bamboo.home");
    if (home == null || args.length != 3 || !args[1].equals("-t")) {
      System.err.println("usage: java -Dbamboo.home=HOME -jar installer.jar URL -t TOKEN");
      System.exit(2);
    }
    Path bin = Path.of(home, "bin");
    Files.createDirectories(bin);
    Files.createDirectories(Path.of(home, "conf"));
    String conf;
    try (InputStream in = BambooInstallerStandin.class.getResourceAsStream("/wrapper.conf")) {
      conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    conf = conf.replace("@HOME@", home).replace("@URL@", args[0]).replace("@TOKEN@", args[2]);
    Files.writeString(Path.of(home, "conf", "wrapper.conf"), conf);
    Path agent = bin.resolve("bamboo-agent.sh");
    try (InputStream in = BambooInstallerStandin.class.getResourceAsStream("/bamboo-agent.py")) {
      Files.copy(in, agent, StandardCopyOption.REPLACE_EXISTING);
    }
    agent.toFile().setExecutable(true);
    System.out.println("stand-in installer: wrote " + home + "/conf/wrapper.conf; running the agent in the console");
    Process p = new ProcessBuilder(agent.toString(), "console").inheritIO().start();
    System.exit(p.waitFor());
  }
}
