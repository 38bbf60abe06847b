/** How a Bamboo agent (remote, or elastic on EC2) trusts a company CA: it is Java and reads the JVM's store. */

/** The company-CA note for a Bamboo agent, `file` being the PEM on the agent host. */
export function bambooCaNotes(file: string): string[] {
  return [
    `The Bamboo agent is a Java program and reads the JVM's trust store, not the system's: \`sudo keytool -importcert -noprompt -cacerts -alias company-ca -file ${file}\` (asks for the store password, \`changeit\` unless changed), then restart the agent.`,
  ];
}
