import { describe, expect, it } from "vitest";
import { assessCoverage, termCoverage } from "../../src/retrieval/assess-coverage.js";
import type { Source } from "../../src/retrieval/source.js";
import type { TermRarity } from "../../src/retrieval/term-rarity.js";

const source = (text: string, overrides: Partial<Source> = {}): Source => ({
  n: 1,
  id: "c1",
  path: "runbooks/a.md",
  title: "Order confirmation emails delayed",
  headingPath: ["Remediation"],
  kind: "runbook",
  services: ["notification-service"],
  score: 1,
  text,
  position: 0,
  ...overrides,
});

/** Rarity as the index would tell it: listed words weigh their figure, the rest 1; `unseen` the KB never holds. */
const rarityOf = (weights: Record<string, number>, unseen: readonly string[] = []): TermRarity => ({
  weight: (word) => weights[word] ?? 1,
  unseen: (word) => unseen.includes(word),
});

describe("assessCoverage: typos", () => {
  it("forgives a typo that keeps the first letter, but does not read another word one edit away as one", () => {
    const email = [source("Check the email provider's bounce log, then resend the queue.")];
    expect(termCoverage({ question: "emial bounce", topK: 5 }, email)).toBe(1);
    // "gmail" is one edit from "email": a product the KB never names, not a typo.
    const rarity = rarityOf({ gmail: 5, bounce: 2 }, ["gmail"]);
    expect(termCoverage({ question: "Gmail bounce", topK: 5 }, email, rarity)).toBeLessThan(0.35);
    expect(assessCoverage({ question: "Gmail bounce", topK: 5 }, email, { rarity })).toBe("weak");
  });

  it("does not read a word that differs only in its last letter as a typo: floor is not flood", () => {
    const flood = [source("The basement flood took the storage racks offline.")];
    expect(termCoverage({ question: "floor", topK: 5 }, flood)).toBe(0);
    // A letter swapped or dropped inside the word still is one.
    expect(termCoverage({ question: "folod", topK: 5 }, flood)).toBe(1);
    expect(termCoverage({ question: "storge", topK: 5 }, flood)).toBe(1);
  });
});

describe("assessCoverage: misspelt words", () => {
  it("weighs a misspelling of a word the sources hold as that word, not as talk", () => {
    const etcd = [source("Restore quorum from a snapshot.", { title: "Members lost" })];
    const rarity = rarityOf({ qourum: 5 }, ["qourum"]);
    expect(
      assessCoverage({ question: "etcd qourum mid kube plane", topK: 5 }, etcd, { rarity }),
    ).toBe("covered");
  });

  it("reads a three- or four-letter word the KB never holds as the start of a longer word of the sources", () => {
    const sidekiq = [source("Sidekiq queue size is over the limit.", { title: "Sidekiq" })];
    const rarity = rarityOf({ sidekiq: 0.05, size: 0.05, que: 5, red: 2, climbing: 4 }, ["que"]);
    expect(
      assessCoverage({ question: "sidekiq que size red climbing", topK: 5 }, sidekiq, { rarity }),
    ).toBe("covered");
  });
});

describe("assessCoverage: shorthand", () => {
  it("reads shorthand as the words the sources write out: cert for certificate, k8s for kubernetes", () => {
    const renewal = [
      source("Renew the client certificate of the kubernetes API before it expires.", {
        title: "Client certificate expiration",
      }),
    ];
    // As a large KB weighs them: "cert" in a few chunks, "client" and "api" everywhere.
    const rarity = rarityOf({ client: 0.05, cert: 4.2, k8s: 0.7, api: 0.05, expiring: 0.8 });
    const question = { question: "client cert for the k8s api is expiring", topK: 5 };
    expect(termCoverage(question, renewal, rarity)).toBe(1);
    expect(assessCoverage(question, renewal, { rarity })).toBe("covered");
    // Only the whole written-out form counts: "volume" alone is not a persistent volume claim.
    const volumes = [source("Resize the volume of the database.", { title: "Volumes" })];
    expect(termCoverage({ question: "pvc", topK: 5 }, volumes)).toBe(0);
  });
});

describe("assessCoverage: passing mentions", () => {
  it("counts a word mentioned once in a long writeup for less than in a section of a chunk's length", () => {
    // The source holds "render" and "stale", 0.41 of the question (the KB never mentions the
    // other two): enough for one section (0.35), not for a document's sections together (0.45).
    const rarity = rarityOf({ render: 1.5, farm: 2.2, mount: 2.2, stale: 1.6 }, ["farm", "mount"]);
    const question = { question: "render farm mount stale", topK: 5 };
    const filler = (count: number) =>
      Array.from({ length: count }, (_, i) => `event${i}`).join(" ");
    const short = source(`The render queue went stale. ${filler(30)}`);
    expect(assessCoverage(question, [short], { rarity })).toBe("covered");
    // The same two words once each among 400 others: the writeup is about something else.
    const long = source(`The render queue went stale. ${filler(400)}`, { kind: "incident" });
    expect(assessCoverage(question, [long], { rarity })).toBe("weak");
  });
});

describe("assessCoverage: the first document read whole", () => {
  const mitigation = source("Restore from the last snapshot.", {
    path: "runbooks/etcd-members.md",
    title: "etcd members",
    headingPath: ["Mitigation"],
  });
  const whole = {
    ...mitigation,
    headingPath: ["Meaning", "Mitigation"],
    text: "Losing quorum switches etcd to read only, so the API is read only.\n\nRestore from the last snapshot.",
  };
  const rarity = rarityOf({ etcd: 1, quorum: 3, api: 0.5, read: 0.2, only: 0.1, lost: 1 });

  it("calls a question covered when retrieval's first document holds it in sections that were not sent", () => {
    const question = { question: "etcd lost quorum, api read only", topK: 5 };
    expect(assessCoverage(question, [mitigation], { rarity })).toBe("weak");
    expect(assessCoverage(question, [mitigation], { rarity, wholeDocuments: [whole] })).toBe(
      "covered",
    );
  });

  it("does not when the question names something neither the KB nor the document holds", () => {
    const question = { question: "etcd lost quorum, api read only on the toaster", topK: 5 };
    const withToaster = rarityOf({ etcd: 2, quorum: 3, api: 0.5, toaster: 5 }, ["toaster"]);
    expect(
      assessCoverage(question, [mitigation], { rarity: withToaster, wholeDocuments: [whole] }),
    ).toBe("weak");
  });

  it("reads only retrieval's first document whole", () => {
    const question = { question: "etcd lost quorum, api read only", topK: 5 };
    const other = source("Unrelated text.", { path: "runbooks/other.md", title: "Other" });
    expect(assessCoverage(question, [other, mitigation], { rarity, wholeDocuments: [whole] })).toBe(
      "weak",
    );
  });
});

describe("assessCoverage: words the KB never mentions", () => {
  const roles = [
    source("The incident commander holds the keyboard and assigns the roles.", {
      title: "On-call escalation",
      headingPath: ["Remediation", "Roles"],
    }),
  ];
  const rarity = rarityOf({ keyboard: 3.7, expense: 5, mouse: 5, weird: 5, roles: 2 }, [
    "expense",
    "mouse",
    "weird",
  ]);

  it("reads one such word as talk, but two or more as the subject no section answers", () => {
    expect(assessCoverage({ question: "weird keyboard roles", topK: 5 }, roles, { rarity })).toBe(
      "covered",
    );
    expect(
      assessCoverage({ question: "how do I expense a new keyboard and mouse", topK: 5 }, roles, {
        rarity,
      }),
    ).toBe("weak");
  });

  it("does not count a hashed path's hex parts or a time of day as such words", () => {
    const hashed = [
      source(
        "Look up the project by the hashed storage path of its repository in the Rails console.",
        {
          title: "Find a project from its hashed storage path",
          headingPath: [],
        },
      ),
    ];
    // Words the index never holds weigh the most (the rarest there are).
    const pathRarity = rarityOf(
      { hashed: 4, project: 1, path: 1, logs: 1, "3f": 5.3, a2: 5.3, "3fa2": 5.3, "9am": 5.3 },
      ["3f", "a2", "3fa2", "9am"],
    );
    expect(
      assessCoverage(
        {
          question: "which project is @hashed/3f/a2/3fa2.git? it shows up in the logs since 9am",
          topK: 5,
        },
        hashed,
        { rarity: pathRarity },
      ),
    ).toBe("covered");
  });

  it("reads the parts of a host or ticket name with a number in it as where, not what", () => {
    const disk = [
      source("Free space on the node: prune unused images, then rotate the logs.", {
        title: "Node disk full",
        headingPath: ["Mitigation"],
      }),
    ];
    const hostRarity = rarityOf({ node: 1, disk: 1, full: 1, bm: 5.3, chg: 5.3 }, ["bm", "chg"]);
    expect(
      assessCoverage({ question: "node k8s-bm-07 disk full again, see CHG-4471", topK: 5 }, disk, {
        rarity: hostRarity,
      }),
    ).toBe("covered");
  });

  it("reads an alert's joined name as its words when the sources hold every one of them", () => {
    const overdue = [
      source("When the overdue blob queue grows too large, raise the number of GC workers.", {
        title: "Container registry online GC overdue tasks",
        headingPath: ["Resolution"],
      }),
    ];
    const name = "containerregistrygcoverdueblobqueuetoolarge";
    const alertRarity = rarityOf({ [name]: 10.6, gc: 1.3, overdue: 2, firing: 0.8, tune: 0.8 }, [
      name,
    ]);
    const question = {
      question: "ContainerRegistryGCOverdueBlobQueueTooLarge firing all morning, how do I tune it",
      topK: 5,
    };
    expect(assessCoverage(question, overdue, { rarity: alertRarity })).toBe("covered");
    // A product's two-word name (`OpenVPN`) stays a name the KB never mentions.
    const vpnRarity = rarityOf({ openvpn: 5.3, server: 0.5, certificate: 1 }, ["openvpn"]);
    const certificate = [
      source("Renew the server certificate before it expires.", { title: "TLS" }),
    ];
    expect(
      assessCoverage({ question: "OpenVPN server certificate expired", topK: 5 }, certificate, {
        rarity: vpnRarity,
      }),
    ).toBe("weak");
  });

  it("reads two such words in a long message as talk: a long message holds a few by chance", () => {
    const stuck = [
      source(
        "Git processes stuck for hours hold the repository lock: list the old git processes on the frontend hosts, kill those older than an hour and check that clients reconnect.",
        { title: "Stuck git processes", headingPath: ["Resolution"] },
      ),
    ];
    // Words of a large KB: the message's own words are common, the two odd ones unseen.
    const talkRarity: TermRarity = {
      weight: (word) => (word === "piling" || word === "creeping" ? 5.3 : 0.2),
      unseen: (word) => word === "piling" || word === "creeping",
    };
    const long = [
      "old git processes piling up on the frontend hosts for hours, the count keeps creeping up,",
      "clients disconnected long ago but the processes still hold the repository lock,",
      "how do I kill the stuck ones safely and check the clients reconnect",
    ].join(" ");
    expect(assessCoverage({ question: long, topK: 5 }, stuck, { rarity: talkRarity })).toBe(
      "covered",
    );
    // In a short question the same two words are what it is about.
    expect(
      assessCoverage({ question: "git piling creeping", topK: 5 }, stuck, { rarity: talkRarity }),
    ).toBe("weak");
  });

  it("does not count the parts of an identifier as such words", () => {
    const alertRarity = rarityOf({ pay: 5, north: 5, latency: 1, high: 1 }, ["pay", "north"]);
    const latency = [source("PayNorth latency is high.", { title: "PayNorth latency" })];
    expect(
      termCoverage({ question: "PayNorthLatencyHigh", topK: 5 }, latency, alertRarity),
    ).toBeGreaterThan(0.35);
  });
});

describe("assessCoverage: rare words the sources do not hold", () => {
  const blocking = [
    source("Add the range to deny-403-ips.lst and deploy it to the load balancers.", {
      title: "Blocking IPs in HAProxy",
      headingPath: ["How do I", "Block an IP range"],
    }),
  ];
  // "hammering" is held by two chunks of some unrelated writeup; "block" and "haproxy" by a few.
  const rarity = rarityOf({ hammering: 3.7, block: 1.2, range: 1, pages: 0.5, haproxy: 1.5 });

  it("weighs a lower-case word that only unrelated sections hold like a common one", () => {
    const question = { question: "a /24 range is hammering pages, how do I block it?", topK: 5 };
    expect(assessCoverage(question, blocking, { rarity })).toBe("covered");
  });

  it("still weighs it fully when the judged text holds it, and a name written as one in any case", () => {
    const named = { question: "Hammering on Pages: block the range?", topK: 5 };
    expect(assessCoverage(named, blocking, { rarity })).toBe("weak");
    const held = [source(`${blocking[0]?.text} Clients hammering the pages are blocked.`)];
    expect(
      termCoverage({ question: "hammering pages", topK: 5 }, held, rarityOf({ hammering: 3.7 })),
    ).toBe(1);
  });
});

describe("assessCoverage: a document's title quoted", () => {
  const steps = source("Restart the service and check its log.", {
    path: "runbooks/gitaly-down.md",
    title: "Gitaly is down",
    headingPath: ["If the server rebooted"],
  });
  const filler = source("Unrelated text.", { path: "runbooks/other.md", title: "Other" });
  // "special" and "box" the KB never holds: together, a subject of their own.
  const rarity = rarityOf({ procedure: 2, special: 2, box: 3, rebooted: 2 }, ["special", "box"]);

  it("calls a question covered when its ticket's title quotes a source's document title", () => {
    const question = {
      question: "what's the procedure here? anything special because the box rebooted?",
      ticket: { title: "Gitaly is down on file-23" },
      topK: 5,
    };
    expect(assessCoverage(question, [filler, filler, filler, steps], { rarity })).toBe("covered");
    const otherTicket = { ...question, ticket: { title: "Gitaly is slow on file-23" } };
    expect(assessCoverage(otherTicket, [filler, filler, filler, steps], { rarity })).toBe("weak");
  });

  it("does not count a one-word title", () => {
    const single = { ...steps, title: "Gitaly" };
    const question = { question: "gitaly: anything special because the box rebooted?", topK: 5 };
    expect(assessCoverage(question, [filler, filler, filler, single], { rarity })).toBe("weak");
  });
});
