import { seededRandom } from "../../src/triage/seeded-shuffle.js";

interface Desk {
  team: string;
  category: string;
  service: string;
  subjects: string[];
  symptoms: string[];
  /** What fixed a ticket, when the history carries distinct resolutions. */
  fixes: string[];
}

/** Three desks whose tickets read differently, as a real desk's queues do. */
const desks: Desk[] = [
  {
    team: "data-team",
    category: "Database",
    service: "orders-db",
    subjects: ["orders-db", "postgres primary", "replica", "database", "pgbouncer"],
    symptoms: [
      "replication lag is high",
      "too many connections",
      "slow queries",
      "disk almost full",
      "deadlocks in the logs",
    ],
    fixes: [
      "Raised max_connections on pgbouncer and recycled the pool.",
      "Terminated the long-running query holding locks.",
      "Vacuumed the orders table and freed disk space.",
    ],
  },
  {
    team: "payments-team",
    category: "Application",
    service: "checkout-api",
    subjects: ["checkout", "payment page", "checkout-api", "card payments", "PayNorth"],
    symptoms: [
      "returns 503",
      "times out on pay",
      "declines every card",
      "shows a blank page",
      "5xx after the release",
    ],
    fixes: [
      "Rolled back the checkout-api deployment to the previous release.",
      "Renewed the PayNorth API credentials.",
      "Scaled the checkout-api pods up to six replicas.",
    ],
  },
  {
    team: "workplace",
    category: "Hardware",
    service: "office",
    subjects: ["printer", "laptop", "monitor", "docking station", "headset"],
    symptoms: [
      "does not turn on",
      "jams on every job",
      "flickers",
      "is not detected",
      "crackles in calls",
    ],
    fixes: [
      "Replaced the fuser unit.",
      "Swapped it for a loan device from stock.",
      "Updated the dock firmware.",
    ],
  },
];

/** Impact decides priority here, as a desk's priority matrix does. */
const impacts = [
  { priority: "P1", phrase: "for all customers" },
  { priority: "P3", phrase: "for one user" },
  { priority: "P3", phrase: "since this morning" },
];

/**
 * A resolved-ticket history in the JSON Lines contract: `perDesk` tickets for
 * each desk, worded from its vocabulary with a seeded generator. With
 * `fixes`, each resolution is one of its desk's fixes rather than "Fixed the …".
 */
export function ticketHistory(
  perDesk: number,
  seed = 7,
  options: { fixes?: boolean } = {},
): string {
  const random = seededRandom(seed);
  const pickFrom = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const lines: string[] = [];
  let id = 1000;
  for (const desk of desks) {
    for (let i = 0; i < perDesk; i++) {
      const impact =
        desk.team === "workplace" ? { priority: "P4", phrase: "for me" } : pickFrom(impacts);
      const subject = pickFrom(desk.subjects);
      const symptom = pickFrom(desk.symptoms);
      lines.push(
        JSON.stringify({
          id: `INC${id++}`,
          title: `${subject} ${symptom}`,
          description: `The ${subject} ${symptom} ${impact.phrase}. ${pickFrom(desk.symptoms)} as well.`,
          category: desk.category,
          priority: impact.priority,
          team: desk.team,
          service: desk.service,
          resolution: options.fixes ? pickFrom(desk.fixes) : `Fixed the ${subject}.`,
          opened_at: "2026-03-01T08:00:00Z",
          resolved_at: "2026-03-01T09:00:00Z",
        }),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
