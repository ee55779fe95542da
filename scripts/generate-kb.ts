import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A synthetic knowledge base for benchmarks: runbook-shaped markdown with
 * frontmatter, nested headings, commands in code fences, tables and lists.
 * Deterministic for a given seed, so runs are comparable.
 */
export interface GenerateKbOptions {
  documents: number;
  seed?: number;
  /** Sections per document; each becomes about one chunk. Default 7. */
  sectionsPerDocument?: number;
}

export const generatedServices = [
  "checkout-api",
  "cart-service",
  "payments-gateway",
  "orders-db",
  "sessions-redis",
  "events-prod",
  "catalog-api",
  "public-api",
  "sso",
  "sap-bridge",
];
const clusters = ["prod-eu-1", "prod-us-1", "staging-eu-1"];
const verbs = [
  "check",
  "restart",
  "drain",
  "rotate",
  "scale",
  "inspect",
  "roll back",
  "purge",
  "failover",
  "throttle",
  "verify",
  "page",
];
export const generatedNouns = [
  "connection pool",
  "replica",
  "consumer group",
  "certificate",
  "deployment",
  "node",
  "webhook secret",
  "api key",
  "disk",
  "index",
  "queue",
  "pod",
  "lock",
  "cache",
];
const symptoms = [
  "latency above the SLO",
  "5xx responses",
  "timeouts to the upstream",
  "consumer lag growing",
  "pods restarting",
  "disk usage at 95%",
  "401 responses",
  "replication lag",
];
const headings = [
  "Symptoms",
  "Diagnosis",
  "Check the logs",
  "Check the metrics",
  "Remediation",
  "Rollback",
  "Verify",
  "Escalation",
  "Background",
  "Known causes",
];

export async function generateKb(directory: string, options: GenerateKbOptions): Promise<string[]> {
  let state = options.seed ?? 42;
  const random = () => {
    // mulberry32: tiny, fast, good enough for fixtures.
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sentence = () =>
    `${pick(verbs)[0]?.toUpperCase()}${pick(verbs).slice(1)} the ${pick(generatedNouns)} of ${pick(generatedServices)} in ${pick(clusters)} when you see ${pick(symptoms)} (case ${Math.floor(random() * 100000)}).`;
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(" ");

  const paths: string[] = [];
  const sectionCount = options.sectionsPerDocument ?? 7;
  for (let number = 0; number < options.documents; number++) {
    const kind = number % 4 === 0 ? "incidents" : "runbooks";
    const service = pick(generatedServices);
    const path = `${kind}/${service}/doc-${String(number).padStart(5, "0")}.md`;
    const title = `${pick(verbs)} ${pick(generatedNouns)} on ${service} (${number})`;
    const sections = Array.from({ length: sectionCount }, (_, index) => {
      const heading = `${index % 3 === 2 ? "###" : "##"} ${pick(headings)} ${index + 1}`;
      const shape = index % 4;
      const body =
        shape === 0
          ? `${paragraph(3)}\n\n\`\`\`bash\n# ${sentence()}\nkubectl --context ${pick(clusters)} -n ${service} get pods -o wide\nkubectl --context ${pick(clusters)} -n ${service} logs deploy/${service} --since=15m | grep -i error\n\`\`\``
          : shape === 1
            ? `${paragraph(2)}\n\n| signal | threshold | action |\n|---|---|---|\n| ${pick(symptoms)} | ${Math.floor(random() * 100)}% | ${pick(verbs)} |\n| ${pick(symptoms)} | ${Math.floor(random() * 100)}% | ${pick(verbs)} |`
            : shape === 2
              ? Array.from({ length: 5 }, (_, step) => `${step + 1}. ${sentence()}`).join("\n")
              : paragraph(5);
      return `${heading}\n\n${body}`;
    });
    const text = `---\ntitle: "${title}"\nkind: ${kind === "incidents" ? "incident" : "runbook"}\nservices: [${service}, ${pick(clusters)}]\ntags: [${pick(generatedNouns).replace(" ", "-")}, generated]\naliases: [${service.replace(/-./g, (match) => match.slice(1).toUpperCase())}Alert${number}]\nseverity: sev${1 + Math.floor(random() * 4)}\nowner: team-${number % 9}\nupdated: 2026-0${1 + (number % 9)}-1${number % 10}\n---\n# ${title}\n\n${paragraph(2)}\n\n${sections.join("\n\n")}\n`;
    await mkdir(join(directory, kind, service), { recursive: true });
    await writeFile(join(directory, path), text);
    paths.push(path);
  }
  return paths;
}
