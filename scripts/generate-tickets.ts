import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes kb/tickets/history.jsonl: the resolved-ticket history of the sample
 * estate (Larkspur Commerce), in the ticket contract format. Hand-written
 * scenarios, one per recurring kind of ticket on the services of kb/, varied
 * by seeded choices and by the mess real desks export: e-mail bodies with
 * signatures, typos, pasted log lines, terse or missing fields, a row exported
 * twice, a few tickets in German, French or Spanish. Labels are those of
 * kb/taxonomy.yaml (test/ingest/tickets/sample-history.test.ts checks it); the
 * reporter's words about impact predict the priority, and a few labels are a
 * neighbouring team's or category's, the judgment calls of a real desk.
 * Deterministic, so the committed file only changes when this does.
 *
 *   npx tsx scripts/generate-tickets.ts
 */

/** One problem, phrased several ways: any title goes with any description and any resolution. */
interface Case {
  titles: string[];
  descriptions: string[];
  resolutions: string[];
  /** Pasted into some descriptions. */
  logs?: string[];
}

interface Scenario {
  service: string | null;
  category: string;
  team: string;
  /** Picked uniformly; repeat a value to weigh it. */
  priorities: string[];
  cases: Case[];
  count: number;
  /** Days the tickets fall on (an incident of kb/incidents/); else spread over the year. */
  days?: string[];
}

const scenarios: Scenario[] = [
  // Tickets raised during the incidents written up in kb/incidents/, on their days.
  {
    service: "checkout-api",
    category: "Application",
    team: "payments-team",
    priorities: ["P1", "P1", "P2"],
    days: ["2026-03-14"],
    count: 6,
    cases: [
      {
        titles: [
          "Checkout returning 503",
          "Customers cannot complete checkout - 503 Service Unavailable",
          "checkout down after deploy?",
          "Spike of 5xx on checkout-api in prod-eu-1",
        ],
        descriptions: [
          "Since about {time} customers get a 503 page when they press Pay. Support has {n} chats open about it.",
          "Checkout error rate jumped right after the afternoon release. Grafana shows pods flapping in and out of the endpoints.",
          "Readiness probes failing on checkout-api pods in prod-eu-1, service returns 503 intermittently.",
        ],
        resolutions: [
          "Rolled back checkout-api-prod-eu-1 with argocd app rollback to the previous revision; error rate normal within 5 minutes.",
          "Readiness probe of release 4f2a9c1 called sessions-redis and PayNorth with a 1 s timeout. Reverted to the shallow probe and redeployed.",
          "Resolved by the rollback done under the major incident. Closing as duplicate of the parent.",
        ],
        logs: [
          "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
          'Readiness probe failed: Get "http://10.42.3.17:8080/ready": context deadline exceeded',
        ],
      },
    ],
  },
  {
    service: "payments-gateway",
    category: "Application",
    team: "payments-team",
    priorities: ["P1", "P2"],
    days: ["2026-06-12"],
    count: 5,
    cases: [
      {
        titles: [
          "Card payments timing out (PayNorth)",
          "Elevated payment declines",
          "payments slow / declined",
        ],
        descriptions: [
          "payments-gateway p99 above 8 s, lots of timeouts to the PayNorth EU endpoint. Declines up to 14%.",
          "Alert PaymentsDeclineRateHigh firing since {time}.",
        ],
        resolutions: [
          "PayNorth incident on their side (EU processing cluster); they failed over internally. Declines back to baseline.",
          "Disabled automatic authorisation retries via feature flag while PayNorth recovered.",
        ],
        logs: [
          "WARN PayNorthClient - POST /v2/authorizations timed out after 8000 ms (attempt 2/3)",
        ],
      },
      {
        titles: ["Customers charged twice", "Duplicate card holds for one order"],
        descriptions: [
          "Several customers report two holds on their card for one order, e.g. {order}.",
          "Customer service has {n} complaints about double charges today.",
        ],
        resolutions: [
          "Retry path created a new idempotency key per retry. Voided the duplicate holds through the PayNorth API; fix to reuse the key shipped next day.",
        ],
      },
    ],
  },
  {
    service: "orders-db",
    category: "Database",
    team: "data-team",
    priorities: ["P1", "P2"],
    days: ["2026-01-22"],
    count: 5,
    cases: [
      {
        titles: [
          "orders-db: remaining connection slots are reserved",
          "Orders failing - too many connections",
          "PgBouncer pool full for orders",
        ],
        descriptions: [
          "checkout and payments-gateway both logging connection errors to orders-db since the migration job started.",
          "Alert PostgresConnectionsNearLimit on orders-db. pg_stat_activity shows hundreds of sessions waiting on a lock.",
          "Order placement failing with connection errors from the app.",
        ],
        resolutions: [
          "Flyway ALTER TABLE orders waited behind a 40-minute reporting query. Cancelled both backends, deleted the migration Job, RECONNECT in PgBouncer, rolling restart of checkout-api and payments-gateway.",
          "Fixed under the major incident (migration lock). Connections back to normal.",
        ],
        logs: [
          "FATAL: remaining connection slots are reserved for non-replication superuser connections",
          "ERROR: canceling statement due to lock timeout",
        ],
      },
    ],
  },
  {
    service: "orders-db",
    category: "Database",
    team: "data-team",
    priorities: ["P2", "P1"],
    days: ["2026-07-11"],
    count: 3,
    cases: [
      {
        titles: [
          "orders-db disk usage above 90%",
          "WAL archiving failing on orders-db",
          "Disk almost full on orders-db-01",
        ],
        descriptions: [
          "Alert PostgresDiskUsageHigh on orders-db-01. pg_wal directory is huge.",
          "pgBackRest archive-push errors in the postgres log for three days.",
        ],
        resolutions: [
          "pgBackRest object storage key was rotated without updating Vault. Restored the credentials, dropped the abandoned slot cdc_orders, extended the volume by 500 GB, took a fresh full backup.",
        ],
        logs: ["ERROR: [045]: archive-push command encountered error(s): AccessDenied"],
      },
    ],
  },
  {
    service: "orders-db",
    category: "Database",
    team: "data-team",
    priorities: ["P1"],
    days: ["2026-07-29"],
    count: 3,
    cases: [
      {
        titles: [
          "Read-only errors on orders after failover",
          "cannot execute INSERT in a read-only transaction",
        ],
        descriptions: [
          "Checkout failing with read-only transaction errors. Patroni shows a new leader orders-db-02.",
          "Orders cannot be written since {time}.",
        ],
        resolutions: [
          "Patroni failed over after an I/O stall; PgBouncer kept server connections to the demoted node. RECONNECT in PgBouncer fixed it.",
        ],
        logs: ["ERROR: cannot execute INSERT in a read-only transaction"],
      },
    ],
  },
  {
    service: "public-api",
    category: "Access",
    team: "platform-team",
    priorities: ["P2", "P2", "P3"],
    days: ["2026-02-05"],
    count: 3,
    cases: [
      {
        titles: ["Partner getting 401 Unauthorized", "public-api 401 for partner {partner}"],
        descriptions: [
          "Partner {partner} reports all calls to the public API return 401 since the key rotation.",
          "401 invalid_api_key for requests routed to prod-us-1 only.",
        ],
        resolutions: [
          "prod-us-1 Kubernetes auth role still used the legacy Vault policy. Bound it to public-api-prod and flushed the key cache.",
        ],
        logs: ['{"status":401,"error":"invalid_api_key","path":"/v1/orders"}'],
      },
    ],
  },
  {
    service: "public-api",
    category: "Security",
    team: "sre",
    priorities: ["P1", "P2"],
    days: ["2026-08-21"],
    count: 2,
    cases: [
      {
        titles: [
          "API key found in public GitHub repo",
          "GitHub secret scanning alert: public-api key",
        ],
        descriptions: [
          "GitHub secret scanning notified us of a live public-api key in a partner's public repository.",
        ],
        resolutions: [
          "Key disabled, new key issued through the partner portal, caches flushed in both clusters. DPO informed.",
        ],
      },
    ],
  },
  {
    service: "webhooks-dispatcher",
    category: "Integration",
    team: "platform-team",
    priorities: ["P3", "P2"],
    days: ["2026-04-09"],
    count: 3,
    cases: [
      {
        titles: ["Partner webhooks failing signature check", "Webhook signature invalid"],
        descriptions: [
          "Partner {partner} rejects our webhooks with 'signature mismatch' since yesterday's release.",
          "Delivery failures piling up for partner webhooks, 401 from their endpoint.",
        ],
        resolutions: [
          "Payload was re-serialised after signing (non-ASCII escaped). Rolled back webhooks-dispatcher; failed deliveries replayed after the fix.",
        ],
      },
    ],
  },
  {
    service: "catalog-api",
    category: "Application",
    team: "web-team",
    priorities: ["P2"],
    days: ["2026-04-15"],
    count: 3,
    cases: [
      {
        titles: ["HPA not scaling catalog-api", "catalog-api slow during spring sale"],
        descriptions: [
          "HPA for catalog-api keeps going back to 6 replicas although CPU is way above target.",
          "Product pages slow during the sale, catalog-api p99 at 2.4 s.",
        ],
        resolutions: [
          "Argo CD self-heal reverted every HPA scale-up because the chart set replicas: 6. Restored ignoreDifferences for /spec/replicas.",
        ],
      },
    ],
  },
  {
    service: "sap-bridge",
    category: "Integration",
    team: "sap-basis",
    priorities: ["P2", "P1"],
    days: ["2026-04-29"],
    count: 3,
    cases: [
      {
        titles: [
          "Orders not arriving in SAP",
          "IDoc backlog status 64",
          "Month end blocked - IDocs stuck",
        ],
        descriptions: [
          "Finance says orders from today are missing in SAP-PRD. WE02 shows many IDocs in status 64.",
          "sap-bridge logs RFC logon errors, Kafka lag on the sap topic growing.",
        ],
        resolutions: [
          "RFC user RFC_LKBRIDGE locked after a password change not stored in Vault. Reset and unlocked, new password in Vault, sap-bridge restarted, inbound job run again.",
        ],
        logs: [
          "com.sap.conn.jco.JCoException: (103) RFC_ERROR_LOGON_FAILURE: Name or password is incorrect",
        ],
      },
    ],
  },
  {
    service: "harbor",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P2", "P1"],
    days: ["2026-05-26"],
    count: 4,
    cases: [
      {
        titles: [
          "ImagePullBackOff on all new pods",
          "Cannot pull images from Harbor",
          "ImagePullBackOff {cluster}",
        ],
        descriptions: [
          "New pods everywhere stuck in ImagePullBackOff, 401 from the registry.",
          "Deployments in staging and prod cannot pull images since the morning.",
        ],
        resolutions: [
          "Harbor robot account robot$k8s-pull expired. Refreshed the robot secret in Vault, forced ExternalSecret resync, deleted stuck pods.",
        ],
        logs: [
          'Failed to pull image "harbor.larkspur.internal/shop/catalog-api:2.41.0": unauthorized: authentication required',
        ],
      },
    ],
  },
  {
    service: "fastly",
    category: "Network",
    team: "web-team",
    priorities: ["P1"],
    days: ["2026-06-30"],
    count: 3,
    cases: [
      {
        titles: [
          "Website shows certificate error",
          "www certificate expired",
          "NET::ERR_CERT_DATE_INVALID on shop",
        ],
        descriptions: [
          "Browsers show NET::ERR_CERT_DATE_INVALID on www.",
          "customers cant open the shop, browser says connection not private",
        ],
        resolutions: [
          "DigiCert certificate on Fastly expired. Emergency reissue and upload with the full intermediate chain.",
        ],
      },
    ],
  },
  {
    service: "keycloak",
    category: "Access",
    team: "identity-team",
    priorities: ["P2"],
    days: ["2026-08-03"],
    count: 4,
    cases: [
      {
        titles: [
          "Cannot log in to Grafana (SSO)",
          "staff SSO broken",
          "Invalid signature error when logging in",
        ],
        descriptions: [
          "Trying to log in to Grafana via SSO ends with 'Invalid signature in response from identity provider'.",
          "Nobody can log in to Argo CD or Vault through SSO since this morning.",
        ],
        resolutions: [
          "Okta rotated the SAML signing certificate; imported the new certificate into the Keycloak okta IdP and switched it to refresh from metadata.",
        ],
      },
    ],
  },
  {
    service: "coredns",
    category: "Network",
    team: "platform-team",
    priorities: ["P2"],
    days: ["2026-02-19"],
    count: 3,
    cases: [
      {
        titles: ["DNS resolution failures in prod-us-1", "Intermittent 'no such host' errors"],
        descriptions: [
          "Services in prod-us-1 intermittently fail to resolve internal names. Started after the node group upgrade.",
          "Random 'no such host' errors from notification-service in prod-us-1.",
        ],
        resolutions: [
          "NodeLocal DNSCache DaemonSet missing on the new nodes (nodeSelector pinned to the old AMI label). Fixed the selector, scaled CoreDNS to 6 without CPU limits.",
        ],
        logs: [
          "dial tcp: lookup orders-db.data.svc.cluster.local on 10.96.0.10:53: read udp: i/o timeout",
        ],
      },
    ],
  },
  {
    service: "cart-service",
    category: "Application",
    team: "web-team",
    priorities: ["P2"],
    days: ["2026-05-02"],
    count: 3,
    cases: [
      {
        titles: ["Cart timeouts", "Cart errors: Timeout waiting for connection from pool"],
        descriptions: [
          "cart-service pods logging Redis pool timeouts since the rollout at {time}.",
          "Add to basket hangs for about 30 s then fails. Happening on web and app.",
        ],
        resolutions: [
          "sessions-redis hit maxclients during the cart-service rollout (pool max doubled, maxSurge 100%). Paused the rollout, reverted pool size to 32 and maxSurge to 25%.",
        ],
        logs: [
          "io.lettuce.core.RedisException: Timeout waiting for connection from pool",
          "ERR max number of clients reached",
        ],
      },
    ],
  },
  {
    service: "prod-eu-1",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P2"],
    days: ["2026-03-30"],
    count: 3,
    cases: [
      {
        titles: ["Node NotReady in prod-eu-1", "Pods evicted - DiskPressure"],
        descriptions: [
          "Three nodes went NotReady, pods rescheduled. kubelet reports DiskPressure.",
          "Lots of pods Evicted in prod-eu-1, node condition DiskPressure=True.",
        ],
        resolutions: [
          "Fluent Bit filesystem buffer filled the root volume while Loki was rate limiting. Reverted the buffer config, deleted the buffer files, drained and replaced the worst node.",
        ],
        logs: ["Warning  Evicted  kubelet  The node was low on resource: ephemeral-storage."],
      },
    ],
  },
  // Everyday tickets, spread over the year.
  {
    service: "checkout-api",
    category: "Application",
    team: "payments-team",
    priorities: ["P3", "P3", "P2"],
    count: 12,
    cases: [
      {
        titles: ["Customer charged but no order number shown", "Order confirmation page timed out"],
        descriptions: [
          "Customer {order} says the payment went through but the confirmation page timed out. Please check if the order exists.",
          "A customer paid for order {order} and got no confirmation. Card statement shows the hold.",
        ],
        resolutions: [
          "Order existed in orders-db; the confirmation email was stuck in the notification queue. Re-sent it manually.",
          "No order was created; the hold was voided through the PayNorth dashboard. Customer told it drops in 3-5 days.",
        ],
      },
      {
        titles: ["Checkout slow for some customers", "checkout very slow on mobile"],
        descriptions: [
          "Checkout takes 20+ seconds for a few customers this morning, mostly on mobile. No errors on our side that I can see.",
        ],
        resolutions: [
          "Latency came from PayNorth slowness that morning, nothing on our side. Customer service informed.",
          "One checkout-api pod on a noisy node; cordoned the node and the pod moved. p99 back under 800 ms.",
        ],
      },
    ],
  },
  {
    service: "orders-db",
    category: "Database",
    team: "data-team",
    priorities: ["P2", "P3", "P3"],
    count: 14,
    cases: [
      {
        titles: ["Slow queries on orders-db", "Order history page very slow"],
        descriptions: [
          "The order history page in the account area takes 15 s to load. Seems to be the query on orders by customer_id.",
          "Slow query log full of the same SELECT on orders since the schema change.",
        ],
        resolutions: [
          "Missing index on orders(customer_id, created_at) after the schema change. Created it CONCURRENTLY; page loads in 300 ms again.",
        ],
        logs: [
          "LOG: duration: 14872.331 ms  statement: SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC",
        ],
      },
      {
        titles: ["orders-db CPU at 90%", "High CPU on orders-db primary"],
        descriptions: ["CPU on the orders-db primary stuck at 90% since the nightly job started."],
        resolutions: ["Nightly export job moved to the replica. CPU back to 30%."],
      },
      {
        titles: ["Lock contention on orders table", "Queries waiting on locks - orders"],
        descriptions: ["Many queries waiting on locks on the orders table around {time}."],
        resolutions: [
          "Long transaction from a manual data fix held row locks. Terminated it after checking with the author.",
          "Killed the idle-in-transaction sessions from the reporting tool and set idle_in_transaction_session_timeout to 5 min.",
        ],
      },
    ],
  },
  {
    service: "orders-db",
    category: "Request",
    team: "data-team",
    priorities: ["P4"],
    count: 6,
    cases: [
      {
        titles: ["Restore of deleted orders rows", "Need data from yesterday's backup"],
        descriptions: [
          "A script deleted test orders but also {n} real ones from the {cluster} shop. Can we get them back from the backup?",
        ],
        resolutions: [
          "Restored a PITR copy to a scratch instance with pgBackRest and copied the rows back after review.",
        ],
      },
    ],
  },
  {
    service: "cart-service",
    category: "Application",
    team: "web-team",
    priorities: ["P3", "P3", "P2"],
    count: 10,
    cases: [
      {
        titles: ["Basket emptied after login", "Customers losing their basket"],
        descriptions: [
          "Customers say items disappear from the basket when they log in. Happens on the app.",
        ],
        resolutions: [
          "Guest basket merge failed for baskets over 50 items; fixed the merge and released cart-service 3.18.2.",
          "Session cookie domain wrong on the app webview after the release; fixed in the app config.",
        ],
      },
      {
        titles: ["Cart timeouts", "Add to basket spinning forever"],
        descriptions: [
          "Add to basket hangs for about 30 s then fails.",
          "cart-service errors after the deploy at {time}.",
        ],
        resolutions: [
          "Restarted the cart-service pods that held stale Redis connections; pool timeouts gone.",
          "Rolled back cart-service; the new release had a slow query on the promotions table.",
        ],
        logs: ["io.lettuce.core.RedisException: Timeout waiting for connection from pool"],
      },
    ],
  },
  {
    service: "sessions-redis",
    category: "Infrastructure",
    team: "sre",
    priorities: ["P2", "P3"],
    count: 8,
    cases: [
      {
        titles: [
          "Users logged out randomly",
          "Redis evictions on sessions cluster",
          "sessions-redis memory high",
        ],
        descriptions: [
          "Several staff and customers report being logged out every few minutes.",
          "Alert RedisMemoryHigh on sessions-redis shard 2, evicted_keys climbing.",
        ],
        resolutions: [
          "maxmemory reached and keys were evicted; raised maxmemory to 6 GB and shortened the TTL of anonymous sessions.",
          "Failed over shard 2 to its replica after its node was drained; sessions stable since.",
        ],
      },
    ],
  },
  {
    service: "catalog-api",
    category: "Application",
    team: "web-team",
    priorities: ["P2", "P3"],
    count: 12,
    cases: [
      {
        titles: ["Product pages slow", "catalog-api latency high", "catalog-api p99 > 2s"],
        descriptions: [
          "Product detail pages take several seconds. catalog-api p99 at 2.1 s in {cluster}.",
          "Alert CatalogApiLatencyHigh in {cluster}.",
        ],
        resolutions: [
          "Cache hit ratio dropped after the search reindex; warmed the cache, latency back under 400 ms.",
          "metrics-server was not returning pod metrics after its restart so the HPA could not scale; fixed its APIService and the HPA scaled to 14.",
        ],
        logs: [
          "unable to get metrics for resource cpu: no metrics returned from resource metrics API",
        ],
      },
      {
        titles: ["Wrong prices shown on product page", "Product shows old price"],
        descriptions: [
          "Product {order} shows last week's price on the website but the new one in the admin.",
        ],
        resolutions: [
          "Price event was not consumed; replayed it from events-prod and purged the product page in Fastly.",
        ],
      },
    ],
  },
  {
    service: "search-indexer",
    category: "Application",
    team: "data-team",
    priorities: ["P3", "P3", "P2"],
    count: 10,
    cases: [
      {
        titles: [
          "New products not showing in search",
          "Search results out of date",
          "search-indexer backlog",
        ],
        descriptions: [
          "Products created this morning cannot be found with site search. Merchandising team waiting.",
          "Price changes not reflected in search results, several hours behind.",
        ],
        resolutions: [
          "search-indexer consumer lag after a full reindex; scaled consumers to 6 and the lag cleared in 40 minutes.",
          "OpenSearch bulk rejections (queue full). Reduced the bulk size and the backlog drained.",
        ],
        logs: ["es_rejected_execution_exception: rejected execution of coordinating operation"],
      },
    ],
  },
  {
    service: "public-api",
    category: "Application",
    team: "platform-team",
    priorities: ["P3", "P3", "P2"],
    count: 10,
    cases: [
      {
        titles: [
          "Partner hitting rate limit (429)",
          "429 Too Many Requests for partner sync",
          "Request to raise API rate limit",
        ],
        descriptions: [
          "Partner {partner} says their nightly catalogue sync fails with 429 after a few minutes.",
          "Partner asks for a higher limit for their sync window, currently 600 req/min.",
        ],
        resolutions: [
          "Temporary per-key override to 1,200 req/min during the partner's sync window; partner added backoff honouring Retry-After.",
          "Explained the limits and Retry-After; partner reduced parallel workers from 40 to 8. No change on our side.",
        ],
      },
      {
        titles: ["API key invalid after rotation"],
        descriptions: [
          "Partner {partner} rotated their key in the portal and now gets 401 invalid_api_key.",
        ],
        resolutions: [
          "Partner was still sending the old key from a second server. Works with the new key.",
        ],
      },
    ],
  },
  {
    service: "sap-bridge",
    category: "Integration",
    team: "sap-basis",
    priorities: ["P2", "P3", "P3"],
    count: 10,
    cases: [
      {
        titles: ["IDocs stuck in SAP", "sap-bridge RFC errors", "Orders missing in SAP"],
        descriptions: [
          "A few orders from yesterday are missing in SAP-PRD. WE02 shows IDocs in status 64.",
          "sap-bridge logs RFC errors after the SAP maintenance window.",
        ],
        resolutions: [
          "Scheduled RBDAPP01 ran with too small a package size; ran it manually with 500 and the backlog cleared.",
          "RFC destination pointed to the old application server after maintenance. Fixed in SM59 and restarted sap-bridge.",
        ],
        logs: [
          "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed",
        ],
      },
    ],
  },
  {
    service: "events-prod",
    category: "Infrastructure",
    team: "data-team",
    priorities: ["P2", "P3"],
    count: 12,
    cases: [
      {
        titles: ["Kafka consumer lag growing", "Consumer group {group} lagging"],
        descriptions: ["Alert KafkaConsumerLagHigh for group {group}. Lag over 200k and rising."],
        resolutions: [
          "Consumer group was rebalancing in a loop because max.poll.interval.ms was too short for the batch size. Raised it to 10 min.",
          "Scaled the consumer deployment from 3 to 6; lag cleared.",
        ],
        logs: [
          "WARN [Consumer clientId=consumer-1] consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms",
        ],
      },
      {
        titles: ["Under-replicated partitions on events-prod", "Kafka broker 2 down"],
        descriptions: [
          "KafkaUnderReplicatedPartitions firing for events-prod after broker 2 restarted.",
        ],
        resolutions: [
          "Broker 2's volume was slow; moved it to a new volume, partitions back in sync after 25 minutes.",
        ],
      },
    ],
  },
  {
    service: "prod-eu-1",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P3", "P2"],
    count: 10,
    cases: [
      {
        titles: ["Disk full on worker node", "node {node} NotReady"],
        descriptions: [
          "Node {node} went NotReady, kubelet reports DiskPressure.",
          "Worker node root disk at 97%.",
        ],
        resolutions: [
          "Old container images filled /var/lib/containerd. Ran crictl rmi --prune and lowered the image GC threshold.",
          "Node replaced by the autoscaler after cordon and drain; no data loss.",
        ],
      },
    ],
  },
  {
    service: "prod-eu-1",
    category: "Application",
    team: "platform-team",
    priorities: ["P3", "P2"],
    count: 14,
    cases: [
      {
        titles: ["OOMKilled pods for {app}", "{app} keeps restarting", "Pod in CrashLoopBackOff"],
        descriptions: [
          "{app} pods restart every few minutes, last state OOMKilled, exit code 137.",
          "Deployment {app} stuck with pods in CrashLoopBackOff after the config change.",
        ],
        resolutions: [
          "Memory limit too low for the new JVM heap settings. Raised the limit to 1.5Gi and set -XX:MaxRAMPercentage=75.",
          "Missing key in the ConfigMap after the refactor; added it and the pods started.",
          "Rolled back the deployment; the team fixes the memory leak in the next release.",
        ],
        logs: ["Last State: Terminated  Reason: OOMKilled  Exit Code: 137"],
      },
      {
        titles: ["Argo CD app OutOfSync", "argocd sync stuck for {app}"],
        descriptions: ["{app} shows OutOfSync in Argo CD for hours, sync does nothing."],
        resolutions: [
          "A mutating webhook added a field Argo CD did not ignore; added it to ignoreDifferences and synced.",
          "Sync was stuck on a hook Job that never finished; deleted the Job and re-synced.",
        ],
      },
    ],
  },
  {
    service: "fastly",
    category: "Network",
    team: "web-team",
    priorities: ["P3", "P3", "P2"],
    count: 10,
    cases: [
      {
        titles: ["Images not updating on the website", "Please purge CDN cache"],
        descriptions: [
          "Marketing replaced the banner images an hour ago but the old ones still show. Can you purge?",
        ],
        resolutions: ["Purged the surrogate key for the banner images; new images live."],
      },
      {
        titles: ["Fastly 503 from origin", "Some users get 503 backend read error"],
        descriptions: ["Some users get a Fastly 503 'backend read error' page on category pages."],
        resolutions: [
          "Origin shield timed out while catalog-api was slow; raised the first byte timeout to 15 s.",
        ],
      },
    ],
  },
  {
    service: "keycloak",
    category: "Access",
    team: "identity-team",
    priorities: ["P3", "P3", "P4"],
    count: 10,
    cases: [
      {
        titles: ["SSO login loop", "Cannot get into Argo CD with SSO"],
        descriptions: ["Login keeps redirecting back to the Okta page, never gets into Argo CD."],
        resolutions: [
          "Stale session cookie in the user's browser; clearing cookies for the SSO domain fixed it.",
        ],
      },
      {
        titles: ["No access to Grafana after login"],
        descriptions: ["I can log in through SSO but Grafana says I have no permissions."],
        resolutions: [
          "User was not in the grafana-users group in Okta. Added after manager approval.",
        ],
      },
    ],
  },
  {
    service: "vault",
    category: "Access",
    team: "sre",
    priorities: ["P3", "P4"],
    count: 10,
    cases: [
      {
        titles: ["Vault permission denied for {app}", "Need access to Vault path for {app}"],
        descriptions: [
          "Deploy of {app} fails reading its secret: permission denied on the kv path.",
        ],
        resolutions: ["Added the path to the app's Vault policy via Terraform; deploy succeeded."],
        logs: [
          "Error making API request. Code: 403. Errors: * 1 error occurred: * permission denied",
        ],
      },
      {
        titles: ["Rotate secret for {app}"],
        descriptions: [
          "Please rotate the database password for {app}; it was pasted in a chat by mistake.",
        ],
        resolutions: [
          "Rotated the secret in Vault and restarted the deployment so it picked up the new value.",
        ],
      },
    ],
  },
  {
    service: "github-actions",
    category: "Application",
    team: "sre",
    priorities: ["P3", "P4", "P4"],
    count: 10,
    cases: [
      {
        titles: ["CI pipeline failing on main", "build broken on main"],
        descriptions: [
          "All builds on main fail at the test step since lunch. Not related to our change.",
        ],
        resolutions: [
          "Flaky test depending on wall-clock time; quarantined, then fixed by the team.",
          "Upstream package registry outage, builds passed after it recovered.",
        ],
      },
      {
        titles: ["GitHub Actions runner stuck in queued"],
        descriptions: ["Jobs stay queued for 30+ minutes, self-hosted runners look offline."],
        resolutions: [
          "Self-hosted runner pool ran out of disk; cleaned the work directories and added a cleanup cron.",
        ],
      },
    ],
  },
  {
    service: "notification-service",
    category: "Application",
    team: "web-team",
    priorities: ["P3", "P3", "P2"],
    count: 12,
    cases: [
      {
        titles: ["Password reset emails not arriving", "Emails bouncing"],
        descriptions: [
          "Several customers say the password reset email never arrives. Checked spam folders.",
        ],
        resolutions: [
          "Email provider rate limited us after a marketing send; moved marketing to its own sending domain.",
          "SPF record missed the new provider's include after the DNS migration; fixed in Route 53.",
        ],
      },
      {
        titles: ["Order emails delayed"],
        descriptions: ["Order confirmation emails arrive 2 hours late."],
        resolutions: [
          "notification-service queue consumer was stuck; restarted it and the backlog went out.",
        ],
      },
    ],
  },
  {
    service: null,
    category: "Access",
    team: "service-desk",
    priorities: ["P4", "P4", "P3"],
    count: 18,
    cases: [
      {
        titles: ["Password reset", "Account locked", "password expired"],
        descriptions: [
          "User locked out of their account after the password change.",
          "pls reset my password, locked out",
          "User cannot log in after holiday, password expired.",
        ],
        resolutions: ["Password reset and account unlocked. User confirmed access."],
      },
    ],
  },
  {
    service: null,
    category: "Hardware",
    team: "service-desk",
    priorities: ["P4"],
    count: 12,
    cases: [
      {
        titles: ["Docking station not detecting monitors"],
        descriptions: ["Monitors stay black when the laptop is docked."],
        resolutions: [
          "Replaced the docking station, monitors detected.",
          "Updated the dock firmware and display drivers.",
        ],
      },
      {
        titles: ["Laptop very slow"],
        descriptions: ["Laptop takes 10 minutes to start and the fans are loud all the time."],
        resolutions: ["Reimaged the laptop; user data restored from OneDrive."],
      },
      {
        titles: ["Headset not working in Teams"],
        descriptions: ["Headset works in other apps but not in Teams calls."],
        resolutions: ["Selected the headset as default device in Teams settings."],
      },
    ],
  },
  {
    service: "grafana",
    category: "Request",
    team: "sre",
    priorities: ["P4"],
    count: 10,
    cases: [
      {
        titles: [
          "Grafana access request",
          "Need editor role in Grafana",
          "Access to Grafana for new joiner",
        ],
        descriptions: [
          "New team member needs view access to the production dashboards.",
          "Please give me editor rights on the payments folder in Grafana.",
        ],
        resolutions: ["Added the user to the grafana-users group in Okta after manager approval."],
      },
    ],
  },
  // More of the everyday desk: the rest of the estate, end-user requests, and a few tickets
  // written in German, French or Spanish, as a European shop's desk receives them.
  {
    service: "argo-cd",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P3", "P3", "P2", "P4"],
    count: 10,
    cases: [
      {
        titles: [
          "Argo CD shows {app} OutOfSync",
          "Deployment of {app} not rolling out",
          "argocd app stuck Progressing",
        ],
        descriptions: [
          "We merged the release of {app} two hours ago and Argo CD still shows the old revision. Sync button does nothing.",
          "{app} in {cluster} has been OutOfSync since this morning, diff shows only /spec/replicas.",
          "Argo CD app health is Progressing forever, the new ReplicaSet never becomes available.",
        ],
        resolutions: [
          "HPA-managed replicas were in the chart; added ignoreDifferences for /spec/replicas and synced.",
          "A PreSync hook Job failed silently; deleted the Job and re-synced, release rolled out.",
          "Repo server cache was stale after the Git host migration; hard refresh fixed it.",
        ],
        logs: [
          "ComparisonError: rpc error: code = Unknown desc = Manifest generation error (cached)",
          'level=warning msg="Partial sync operation to 8c1e2f0 failed: one or more objects failed to apply"',
        ],
      },
    ],
  },
  {
    service: "cert-manager",
    category: "Security",
    team: "platform-team",
    priorities: ["P3", "P2", "P2"],
    count: 8,
    cases: [
      {
        titles: [
          "Certificate for api.larkspur-commerce.example expires in 7 days",
          "cert-manager Certificate not Ready",
          "TLS cert renewal failing",
        ],
        descriptions: [
          "Alert CertificateExpiringSoon for public-api ingress in {cluster}. Renewal should have happened 3 weeks ago.",
          "kubectl get certificate shows READY False for the {app} ingress, order stuck pending.",
          "Partner {partner} warns that our API certificate expires next week.",
        ],
        resolutions: [
          "ACME HTTP-01 challenge blocked by the new WAF rule; allowed /.well-known/acme-challenge and the order completed.",
          "ClusterIssuer secret was rotated in Vault but not synced; forced the ExternalSecret resync, certificate renewed.",
        ],
        logs: [
          "Failed to create Order: 403 urn:ietf:params:acme:error:unauthorized: Invalid response from http://api.larkspur-commerce.example/.well-known/acme-challenge/",
        ],
      },
    ],
  },
  {
    service: "opensearch",
    category: "Database",
    team: "data-team",
    priorities: ["P3", "P2", "P3"],
    count: 10,
    cases: [
      {
        titles: [
          "OpenSearch cluster status yellow",
          "Search very slow on the shop",
          "OpenSearch disk watermark reached",
        ],
        descriptions: [
          "Cluster health yellow since the node restart, 12 replica shards unassigned.",
          "Site search takes 5+ seconds, opensearch query latency p99 at 4 s.",
          "Index writes rejected, the flood stage watermark was exceeded on data node 3.",
        ],
        resolutions: [
          "Node 3 disk full from old snapshots; deleted snapshots older than 30 days and reset index.blocks.read_only_allow_delete.",
          "Replica shards reallocated after raising cluster.routing.allocation.node_concurrent_recoveries; green after 20 minutes.",
          "A heavy aggregation from the merchandising report hit the product index; moved the report to the replica alias.",
        ],
        logs: [
          "cluster_block_exception: index [products-v7] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark]",
        ],
      },
    ],
  },
  {
    service: "pgbouncer-orders",
    category: "Database",
    team: "data-team",
    priorities: ["P2", "P2", "P1", "P3"],
    count: 7,
    cases: [
      {
        titles: [
          "pgbouncer pool saturated for orders",
          "Checkout errors: client_login_timeout",
          "PgBouncer cl_waiting high",
        ],
        descriptions: [
          "SHOW POOLS on pgbouncer-orders shows cl_waiting above 200 and checkout-api logs login timeouts.",
          "Alert PgBouncerClientsWaiting firing. payments-gateway reporting connection errors to orders-db.",
        ],
        resolutions: [
          "A batch job opened 300 idle sessions through the transaction pool; gave it its own pool with a cap of 20.",
          "default_pool_size too small after adding checkout-api replicas; raised from 40 to 80 after checking max_connections.",
        ],
        logs: ["ERROR pooler error: client_login_timeout (server down)"],
      },
    ],
  },
  {
    service: "patroni",
    category: "Database",
    team: "data-team",
    priorities: ["P3", "P2"],
    count: 7,
    cases: [
      {
        titles: [
          "Replication lag on orders-db replica",
          "Patroni replica lagging behind",
          "orders-db-03 replica not streaming",
        ],
        descriptions: [
          "Alert PostgresReplicationLagHigh: orders-db-03 is 900 MB behind the leader.",
          "Reports run on the replica show yesterday's orders only.",
        ],
        resolutions: [
          "Replica was replaying a huge VACUUM FULL of the audit table; waited it out and moved such jobs to the weekend.",
          "Replication slot was dropped by mistake; reinitialised the replica with patronictl reinit.",
        ],
        logs: [
          "FATAL: could not receive data from WAL stream: ERROR: requested WAL segment has already been removed",
        ],
      },
    ],
  },
  {
    service: "payments-gateway",
    category: "Application",
    team: "payments-team",
    priorities: ["P3", "P2", "P3", "P2"],
    count: 12,
    cases: [
      {
        titles: [
          "Refund failed for order {order}",
          "Refunds stuck in pending",
          "Cannot refund customer",
        ],
        descriptions: [
          "Customer service tried to refund order {order} three times, it stays pending in the admin.",
          "Refunds created since yesterday are not reaching PayNorth.",
        ],
        resolutions: [
          "Refund worker was paused after the deploy; resumed it and the {n} pending refunds went through.",
          "PayNorth rejected the refunds because the original capture was partial; refunded the captured amount manually.",
        ],
        logs: [
          '{"level":"error","msg":"refund rejected","code":"amount_exceeds_capture","order":"{order}"}',
        ],
      },
      {
        titles: [
          "3-D Secure challenge not showing",
          "Card payments declined with 3DS",
          "Apple Pay fails at checkout",
        ],
        descriptions: [
          "Customers with cards from one bank get declined without seeing the 3-D Secure page.",
          "Apple Pay sheet opens and closes again immediately, payment declined.",
        ],
        resolutions: [
          "PayNorth changed the 3DS2 version for that issuer; updated the merchant config in payments-gateway.",
          "Apple Pay merchant certificate was about to expire and validation failed; renewed it.",
        ],
      },
      {
        titles: ["Kunde kann nicht bezahlen", "Zahlung schlägt fehl"],
        descriptions: [
          "Hallo, ein Kunde (Bestellung {order}) bekommt beim Bezahlen mit Kreditkarte immer die Meldung 'Zahlung abgelehnt'. Die Karte funktioniert überall sonst.",
          "Seit heute Vormittag melden mehrere Kunden, dass die Kartenzahlung abgebrochen wird.",
        ],
        resolutions: [
          "Issuer declined for risk reasons; customer was asked to contact the bank, payment went through afterwards.",
          "PayNorth decline code 05 for German debit cards after their rules change; raised with PayNorth, fixed on their side.",
        ],
      },
    ],
  },
  {
    service: "webhooks-dispatcher",
    category: "Integration",
    team: "platform-team",
    priorities: ["P3", "P3", "P4"],
    count: 9,
    cases: [
      {
        titles: [
          "Webhook deliveries to {partner} failing",
          "Partner not receiving order webhooks",
          "Webhook retries piling up",
        ],
        descriptions: [
          "{partner} says they have not received order.created webhooks since {time}. Our dashboard shows retries.",
          "Delivery queue for partner webhooks over 5,000 messages, most to one endpoint returning 502.",
        ],
        resolutions: [
          "Partner endpoint was down (their certificate expired). Deliveries succeeded after they fixed it; no change on our side.",
          "Partner moved to a new URL without telling us; updated the subscription and replayed the failed deliveries.",
        ],
        logs: [
          "webhook delivery failed: POST https://hooks.partner.example/larkspur -> 502 Bad Gateway (attempt 6/10)",
        ],
      },
      {
        titles: ["Webhooks du partenaire en échec", "Problème de réception des webhooks"],
        descriptions: [
          "Bonjour, depuis ce matin nous ne recevons plus vos notifications de commande. Notre serveur répond 401 'signature invalide'. Pouvez-vous vérifier ? Cordialement, {partner}",
        ],
        resolutions: [
          "Partner verified the signature with the previous secret after our rotation; sent them the new secret through the portal.",
        ],
      },
    ],
  },
  {
    service: "okta",
    category: "Access",
    team: "identity-team",
    priorities: ["P4", "P3", "P4"],
    count: 12,
    cases: [
      {
        titles: [
          "MFA reset needed",
          "New phone - cannot log in with Okta Verify",
          "Okta account locked",
        ],
        descriptions: [
          "I got a new phone and Okta Verify is gone, I cannot log in to anything.",
          "User locked out of Okta after too many MFA attempts.",
          "Please reset MFA for {person}, lost their phone.",
        ],
        resolutions: [
          "Identity verified by the manager; reset the Okta Verify factor, user enrolled the new phone.",
          "Unlocked the Okta account; user re-enrolled MFA.",
        ],
      },
      {
        titles: [
          "Access to {app} dashboards for new joiner",
          "Add user to Okta group",
          "Onboarding: accounts for {person}",
        ],
        descriptions: [
          "New starter {person} on Monday needs the standard engineering groups.",
          "Please add me to the group that gives access to the {app} runbooks and dashboards.",
        ],
        resolutions: ["Added to the requested Okta groups after manager approval."],
      },
    ],
  },
  {
    service: "github",
    category: "Security",
    team: "sre",
    priorities: ["P2", "P3", "P1"],
    count: 6,
    cases: [
      {
        titles: [
          "Secret scanning alert in {app} repository",
          "AWS key committed to GitHub",
          "Token pushed to a public gist",
        ],
        descriptions: [
          "GitHub secret scanning flagged a token in the {app} repo, commit from this morning.",
          "A developer pushed a config file with a Vault token to a public gist by mistake.",
        ],
        resolutions: [
          "Revoked the token, rotated the secret in Vault, rewrote the branch history. No use of the token seen in the audit log.",
          "False positive: a test fixture that looks like a key. Marked as such and added to the allow list.",
        ],
      },
    ],
  },
  {
    service: "github",
    category: "Request",
    team: "sre",
    priorities: ["P4", "P4", "P3"],
    count: 6,
    cases: [
      {
        titles: [
          "Access to GitHub org",
          "Need write access to {app} repo",
          "Create new repository",
        ],
        descriptions: [
          "Please give {person} write access to the {app} repository.",
          "We need a new private repo for the loyalty service, with the default branch protection.",
        ],
        resolutions: [
          "Access granted through the GitHub team after approval.",
          "Repository created from the service template.",
        ],
      },
    ],
  },
  {
    service: "pagerduty",
    category: "Request",
    team: "sre",
    priorities: ["P4", "P3"],
    count: 6,
    cases: [
      {
        titles: [
          "Change on-call schedule",
          "Add me to the PagerDuty rotation",
          "PagerDuty did not page me",
        ],
        descriptions: [
          "Please swap my on-call week with {person} next month.",
          "I was on call last night and the SEV2 alert never paged me, only an email.",
        ],
        resolutions: [
          "Schedule override created.",
          "User's notification rules only had email; added push and phone, test page confirmed.",
        ],
      },
    ],
  },
  {
    service: "route53",
    category: "Network",
    team: "sre",
    priorities: ["P3", "P4", "P2"],
    count: 6,
    cases: [
      {
        titles: ["DNS record change for {app}", "New CNAME needed", "Shift traffic to prod-us-1"],
        descriptions: [
          "Please create a CNAME status.larkspur-commerce.example pointing to the status page provider.",
          "Maintenance in prod-eu-1 tonight, we need the weighted records moved to prod-us-1 from 22:00.",
          "Domain verification TXT record for the new email provider.",
        ],
        resolutions: [
          "Record created in Route 53 via Terraform; propagated.",
          "Weights set to 0/100 at 22:00 and back after the maintenance, traffic followed within the TTL.",
        ],
      },
    ],
  },
  {
    service: "www",
    category: "Application",
    team: "web-team",
    priorities: ["P4", "P4", "P3", "P2"],
    count: 14,
    cases: [
      {
        titles: [
          "Typo on the returns page",
          "Footer link broken",
          "Wrong image on the homepage",
          "Banner overlaps menu on iPad",
        ],
        descriptions: [
          "The returns page says 'refund within 14 dyas'. Small thing but customers screenshot it.",
          "The 'Careers' link in the footer goes to a 404.",
          "The spring banner covers the menu on iPad in portrait mode.",
        ],
        resolutions: [
          "Fixed in the CMS, published.",
          "Fixed the CSS breakpoint in the next web release.",
        ],
      },
      {
        titles: ["Website very slow", "Homepage not loading", "Shop shows blank page"],
        descriptions: [
          "The shop homepage takes 15 seconds to load for everyone in the office, category pages too.",
          "Customers get a blank white page on www since the release at {time}.",
        ],
        resolutions: [
          "JavaScript bundle of the release failed to load from the CDN (wrong path); rolled back the frontend.",
          "Fastly cache was bypassed after a VCL change; reverted it, hit ratio back to 92%.",
        ],
        logs: [
          "Uncaught ChunkLoadError: Loading chunk 412 failed. (missing: https://www.larkspur-commerce.example/_next/static/chunks/412.js)",
        ],
      },
      {
        titles: ["Error en la página de producto", "La web no carga las imágenes"],
        descriptions: [
          "Hola, en la tienda española las imágenes de los productos no cargan desde esta mañana. Solo se ve el texto.",
          "Un cliente dice que al abrir el producto {order} sale un error 500.",
        ],
        resolutions: [
          "Image resizing rule missed the new es path after the locale change; fixed the Fastly config and purged.",
          "Product had an empty translation that broke rendering; filled it in the CMS.",
        ],
      },
    ],
  },
  {
    service: "staging-eu-1",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P3", "P4", "P3"],
    count: 9,
    cases: [
      {
        titles: [
          "Staging down",
          "staging-eu-1 namespace for feature testing",
          "Cannot deploy to staging",
        ],
        descriptions: [
          "Nothing in staging-eu-1 responds, the QA team is blocked for the release test.",
          "We need a temporary namespace in staging for the loyalty feature branch.",
          "Deploys to staging fail with 'exceeded quota' for the web namespace.",
        ],
        resolutions: [
          "Staging node group scaled to zero by the cost schedule and not back up; scaled it up and fixed the schedule.",
          "Namespace created with the standard quota, expires in 30 days.",
          "Raised the namespace ResourceQuota for CPU requests after removing abandoned preview deployments.",
        ],
        logs: [
          'Error from server (Forbidden): pods "web-7f9c" is forbidden: exceeded quota: compute, requested: requests.cpu=500m',
        ],
      },
    ],
  },
  {
    service: "kafka",
    category: "Infrastructure",
    team: "data-team",
    priorities: ["P3", "P4", "P2"],
    count: 8,
    cases: [
      {
        titles: [
          "New Kafka topic request",
          "Kafka broker disk usage high",
          "Topic retention change",
        ],
        descriptions: [
          "Please create topic loyalty.points.v1 with 12 partitions and 7 days retention on events-prod.",
          "Alert KafkaBrokerDiskUsageHigh on broker 1, 85% used.",
          "We need 14 days retention on orders.v2 for the replay project.",
        ],
        resolutions: [
          "Topic created through the Strimzi KafkaTopic resource.",
          "A topic with infinite retention from a test grew to 400 GB; set retention to 3 days after asking its owner.",
        ],
      },
    ],
  },
  {
    service: "SAP-PRD",
    category: "Integration",
    team: "sap-basis",
    priorities: ["P3", "P3", "P2", "P4"],
    count: 10,
    cases: [
      {
        titles: ["Transport stuck in STMS", "Transport import failed with RC 8", "SAP user locked"],
        descriptions: [
          "Transport for the pricing change stays in the import queue of PRD since yesterday.",
          "Import of the transport for the new condition type ended with return code 8.",
          "SAP user of {person} is locked after the password change.",
        ],
        resolutions: [
          "tp was waiting for a lock from a cancelled import; cleaned the TMS locks and imported again.",
          "Missing prerequisite transport; imported it first, then the change with RC 0.",
          "User unlocked in SU01 and a new initial password set.",
        ],
      },
      {
        titles: ["SAP Berechtigung fehlt", "Kein Zugriff auf Transaktion VA03"],
        descriptions: [
          "Guten Tag, ich brauche Zugriff auf VA03 für die Auftragsprüfung. Beim Aufruf kommt 'Keine Berechtigung'. Danke, {person}",
        ],
        resolutions: ["Role Z_SD_DISPLAY assigned after approval by the process owner."],
      },
    ],
  },
  {
    service: "metrics-server",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P3", "P3", "P2"],
    count: 5,
    cases: [
      {
        titles: ["kubectl top not working", "HPA shows <unknown> targets"],
        descriptions: [
          "kubectl top pods returns 'Metrics API not available' in {cluster}.",
          "All HPAs in {cluster} show <unknown>/70% for CPU since the upgrade.",
        ],
        resolutions: [
          "metrics-server could not reach kubelets after the node upgrade (new port); fixed its args, metrics back.",
        ],
        logs: ["error: Metrics API not available"],
      },
    ],
  },
  {
    service: "fluent-bit",
    category: "Infrastructure",
    team: "platform-team",
    priorities: ["P3", "P4"],
    count: 6,
    cases: [
      {
        titles: ["Logs missing in Grafana for {app}", "No logs from prod-us-1 since yesterday"],
        descriptions: [
          "Log panel for {app} is empty since {time}, pods are running and writing logs.",
          "Loki has no logs from prod-us-1 since yesterday evening.",
        ],
        resolutions: [
          "Fluent Bit output was rate limited by Loki; raised the tenant ingestion limit and the backlog flushed.",
          "Fluent Bit DaemonSet pods OOMKilled on the new nodes; raised the memory limit.",
        ],
      },
    ],
  },
  {
    service: null,
    category: "Network",
    team: "service-desk",
    priorities: ["P4", "P3", "P4"],
    count: 10,
    cases: [
      {
        titles: [
          "VPN not connecting",
          "VPN disconnects every few minutes",
          "Cannot reach internal sites from home",
        ],
        descriptions: [
          "GlobalProtect says 'gateway not reachable' since this morning. Internet works.",
          "VPN drops every 5 minutes, I have to reconnect all the time.",
          "From home I cannot open Grafana or the wiki, VPN shows connected.",
        ],
        resolutions: [
          "Client certificate expired; renewed it through the self-service portal.",
          "Home router MTU issue; lowered the MTU in the client config.",
          "Split tunnel config outdated on the laptop; pushed the new profile.",
        ],
      },
      {
        titles: ["VPN ne fonctionne pas", "Impossible de se connecter au VPN"],
        descriptions: [
          "Bonjour, depuis la mise à jour de Windows je ne peux plus me connecter au VPN, erreur 'authentification échouée'. Merci d'avance.",
        ],
        resolutions: ["Password had expired during leave; reset it and the VPN connected."],
      },
    ],
  },
  {
    service: null,
    category: "Software",
    team: "service-desk",
    priorities: ["P4", "P4", "P3"],
    count: 14,
    cases: [
      {
        titles: [
          "Outlook keeps crashing",
          "Mailbox full",
          "Teams not starting",
          "Excel add-in missing",
        ],
        descriptions: [
          "Outlook closes itself every time I open a calendar invite.",
          "I get 'mailbox almost full' warnings and cannot send mail.",
          "Teams shows a white window and never loads.",
          "The SAP export add-in disappeared from Excel after the update.",
        ],
        resolutions: [
          "Repaired the Office installation and rebuilt the Outlook profile.",
          "Enabled the online archive and moved mail older than two years.",
          "Cleared the Teams cache folder, Teams starts again.",
          "Re-registered the add-in via the software centre.",
        ],
      },
      {
        titles: [
          "Software installation request",
          "Need license for Visio",
          "Please install DBeaver",
        ],
        descriptions: [
          "Please install {tool} on my laptop, needed for the reporting project.",
          "I need a Visio license for the process documentation.",
        ],
        resolutions: ["Installed from the software centre.", "License assigned."],
      },
      {
        titles: ["Problema con Outlook", "No puedo abrir archivos adjuntos"],
        descriptions: [
          "Hola, desde ayer no puedo abrir los adjuntos PDF en Outlook, sale un error de permisos. Gracias.",
        ],
        resolutions: ["Default PDF viewer reset after the update; attachments open again."],
      },
    ],
  },
  {
    service: null,
    category: "Hardware",
    team: "service-desk",
    priorities: ["P4", "P4", "P3"],
    count: 10,
    cases: [
      {
        titles: [
          "Printer on 2nd floor not printing",
          "Scanner sends no email",
          "Laptop screen flickering",
          "Keyboard replacement",
        ],
        descriptions: [
          "The printer next to the kitchen shows offline for everyone on the floor.",
          "Scan to email does nothing, the mail never arrives.",
          "My laptop screen flickers when I move the lid.",
        ],
        resolutions: [
          "Printer had a new IP after the DHCP change; reserved the address and re-added the queue.",
          "SMTP relay password for the scanner had expired; updated it.",
          "Display cable replaced under warranty.",
        ],
      },
      {
        titles: ["Portátil no enciende", "Mi portátil no arranca"],
        descriptions: [
          "Hola, mi portátil no enciende desde esta mañana, la luz de carga parpadea. ¿Me podéis dar uno de sustitución?",
        ],
        resolutions: [
          "Battery failed; swapped the laptop for a loan device and sent it for repair.",
        ],
      },
    ],
  },
  {
    service: null,
    category: "Access",
    team: "service-desk",
    priorities: ["P4", "P4", "P3"],
    count: 6,
    cases: [
      {
        titles: ["Passwort zurücksetzen", "Konto gesperrt"],
        descriptions: [
          "Hallo, ich habe mein Passwort vergessen und mein Konto ist jetzt gesperrt. Bitte zurücksetzen. Gruß, {person}",
          "Nach dem Urlaub kann ich mich nicht mehr anmelden, Passwort abgelaufen.",
        ],
        resolutions: ["Password reset and account unlocked. User confirmed access."],
      },
      {
        titles: ["Shared drive access", "Access to the finance share"],
        descriptions: ["Please give {person} read access to the finance shared drive."],
        resolutions: ["Added to the AD group after approval from the data owner."],
      },
    ],
  },
];

const clusters = ["prod-eu-1", "prod-eu-1", "prod-us-1"];
const partners = ["Tallis Home", "Brightwater Outdoor", "NordLamp", "Kestrel Kids"];
const apps = [
  "cart-service",
  "catalog-api",
  "notification-service",
  "search-indexer",
  "checkout-api",
];
const groups = ["sap-bridge-orders", "search-indexer", "notification-service"];
const people = [
  ["Jane", "Doe", "Finance"],
  ["Marek", "Novak", "Customer Service"],
  ["Priya", "Raman", "Merchandising"],
  ["Tom", "Becker", "Warehouse"],
  ["Sofia", "Lindqvist", "Marketing"],
  ["Ahmed", "Karim", "Partner Management"],
] as const;

/** mulberry32: a small seeded generator, so the history is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20260914);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const chance = (probability: number) => random() < probability;

/** Values for one ticket's placeholders: its title, description and close notes name the same things. */
function slotsFor(opened: Date): (template: string) => string {
  const noticed = new Date(opened.getTime() - (5 + random() * 40) * 60_000);
  const values: Record<string, string> = {
    "{cluster}": pick(clusters),
    "{partner}": pick(partners),
    "{app}": pick(apps),
    "{group}": pick(groups),
    "{node}": `ip-10-42-${Math.floor(random() * 200)}-${Math.floor(random() * 250)}`,
    "{order}": `LK-${100000 + Math.floor(random() * 900000)}`,
    "{n}": String(3 + Math.floor(random() * 40)),
    "{time}": noticed.toISOString().slice(11, 16),
    "{person}": pick(people).slice(0, 2).join(" "),
    "{tool}": pick(["DBeaver", "Power BI Desktop", "Postman", "Notepad++"]),
  };
  return (template) =>
    Object.entries(values).reduce((text, [slot, value]) => text.replaceAll(slot, value), template);
}

/** One or two slips of the keyboard: two letters swapped in a longer word. */
function withTypos(text: string): string {
  const words = text.split(" ");
  for (let slip = 0; slip < 1 + Math.floor(random() * 2); slip++) {
    const position = Math.floor(random() * words.length);
    const word = words[position] ?? "";
    if (!/^[a-z]{5,}$/.test(word)) continue;
    const at = 1 + Math.floor(random() * (word.length - 3));
    words[position] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
  return words.join(" ");
}

function asEmail(body: string): string {
  const [first, last, department] = pick(people);
  const greeting = pick(["Hi team,", "Hello,", "Hi all", "Good morning,"]);
  const signOff = pick(["Kind regards,", "Thanks,", "Best regards,", "Regards"]);
  const footer = chance(0.3)
    ? "\n\nThis email and any attachments are confidential and intended solely for the addressee."
    : chance(0.3)
      ? "\n\nSent from my iPhone"
      : "";
  return `received from: ${first.toLowerCase()}.${last.toLowerCase()}@larkspur-commerce.example\n\n${greeting}\n\n${body}\n\n${signOff}\n${first} ${last}\n${department} | Larkspur Commerce${footer}`;
}

/**
 * What the reporter says about how bad it is: a desk sets the priority from impact and
 * urgency, so these words should predict it; one in ten speaks for a neighbouring priority,
 * as reporters over- and understate.
 */
const impactCues: Record<string, string[]> = {
  P1: [
    "All customers are affected.",
    "Checkout is down for everyone, we are losing orders.",
    "Major incident declared, bridge is open.",
    "No orders coming in since {time}!",
    "Whole shop affected in {cluster}. URGENT",
    "Risk of data loss, please look now.",
  ],
  P2: [
    "Many customers affected, no workaround.",
    "Degraded for a large share of users in {cluster}.",
    "Several partners impacted, please prioritise.",
    "Affects a whole department, work is blocked.",
    "Error rate is elevated but orders still go through.",
  ],
  P3: [
    "A few customers affected, there is a workaround.",
    "Only some users see it.",
    "Not urgent but annoying.",
    "One partner affected so far.",
    "Happens now and then, can wait until tomorrow.",
  ],
  P4: [
    "Only me affected.",
    "Cosmetic, no rush.",
    "Whenever you have time.",
    "Low priority request.",
    "Nice to have before next week.",
  ],
};
const priorityOrder = ["P1", "P2", "P3", "P4"];

function impactCue(priority: string): string {
  const position = priorityOrder.indexOf(priority);
  const neighbour = chance(0.5) ? position - 1 : position + 1;
  const spoken =
    chance(0.1) && priorityOrder[neighbour] ? (priorityOrder[neighbour] as string) : priority;
  return pick(impactCues[spoken] ?? []);
}

/**
 * Where two teams or categories could both be right, desks differ: for some tickets the
 * label is such a judgment call, so a classifier meets the noise a real history has.
 */
const neighbourTeam: Record<string, string[]> = {
  "payments-team": ["sre", "web-team"],
  "data-team": ["platform-team", "sre"],
  "platform-team": ["sre", "data-team"],
  "web-team": ["platform-team", "payments-team"],
  "sap-basis": ["data-team"],
  "identity-team": ["service-desk", "sre"],
  "service-desk": ["identity-team"],
  sre: ["platform-team"],
};
const neighbourCategory: Record<string, string[]> = {
  Application: ["Infrastructure", "Integration"],
  Database: ["Application", "Infrastructure"],
  Infrastructure: ["Application", "Network"],
  Network: ["Infrastructure"],
  Access: ["Security", "Request"],
  Security: ["Access"],
  Integration: ["Application"],
  Request: ["Access", "Software"],
  Hardware: ["Software", "Request"],
  Software: ["Request", "Hardware"],
};

const year = { from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 8, 12) };
const minutesToResolve: Record<string, [number, number]> = {
  P1: [20, 180],
  P2: [45, 600],
  P3: [120, 4000],
  P4: [60, 9000],
};

function openedAt(days: string[] | undefined): Date {
  if (days) {
    const day = Date.parse(`${pick(days)}T00:00:00Z`);
    return new Date(day + (9 + random() * 9) * 3_600_000);
  }
  const instant = year.from + random() * (year.to - year.from);
  const date = new Date(instant);
  // Most tickets arrive in office hours.
  if (chance(0.85)) date.setUTCHours(7 + Math.floor(random() * 10), Math.floor(random() * 60));
  return date;
}

const iso = (date: Date) => date.toISOString().replace(/:\d{2}\.\d{3}Z$/, ":00Z");

interface Row {
  id: string;
  title?: string;
  description?: string;
  category?: string;
  priority?: string;
  team: string;
  service?: string;
  resolution: string;
  opened_at: string;
  resolved_at?: string;
}

const drafts: (Omit<Row, "id"> & { at: number })[] = [];
for (const scenario of scenarios) {
  for (let count = 0; count < scenario.count; count++) {
    const priority = pick(scenario.priorities);
    const opened = openedAt(scenario.days);
    const [least, most] = minutesToResolve[priority] ?? [60, 600];
    const resolved = new Date(opened.getTime() + (least + random() * (most - least)) * 60_000);
    const problem = pick(scenario.cases);
    const fill = slotsFor(opened);
    let title = fill(pick(problem.titles));
    let description = fill(pick(problem.descriptions));
    if (chance(0.7)) description += `${pick([" ", "\n\n"])}${fill(impactCue(priority))}`;
    if (problem.logs && chance(0.35)) {
      const stamp = opened.toISOString().replace(/\.\d{3}Z$/, "Z");
      description += `\n\n${pick(["Log:", "From the pod logs:", "error below", "Seeing this:"])}\n${stamp} ${fill(pick(problem.logs))}`;
    }
    if (chance(0.15)) description = withTypos(description);
    if (chance(0.12)) title = title.toLowerCase();
    if (chance(0.12)) description = asEmail(description);
    const row: Omit<Row, "id"> & { at: number } = {
      at: opened.getTime(),
      title,
      description,
      category: chance(0.05)
        ? pick(neighbourCategory[scenario.category] ?? [scenario.category])
        : scenario.category,
      priority,
      team: chance(0.06) ? pick(neighbourTeam[scenario.team] ?? [scenario.team]) : scenario.team,
      ...(scenario.service ? { service: scenario.service } : {}),
      resolution: fill(pick(problem.resolutions)),
      opened_at: iso(opened),
      resolved_at: iso(resolved),
    };
    // The mess of a real export: short bodies, missing labels and titles, terse close notes.
    if (chance(0.06)) row.description = title.toLowerCase();
    if (chance(0.05)) delete row.category;
    if (chance(0.06)) delete row.service;
    if (chance(0.03)) delete row.resolved_at;
    if (chance(0.05))
      row.resolution = pick(["fixed", "Resolved.", "see parent incident", "works now, closing"]);
    if (chance(0.03)) delete row.title;
    if (chance(0.02)) delete row.priority;
    drafts.push(row);
  }
}
drafts.sort((left, right) => left.at - right.at);
const rows: Row[] = drafts.map(({ at: _at, ...row }, position) => ({
  id: `INC${String(10_000 + position * 7 + Math.floor(random() * 6)).padStart(7, "0")}`,
  ...row,
}));
// A re-exported row, as desks produce when an export overlaps: the later copy has the final close notes.
for (const position of [40, 97]) {
  const row = rows[position];
  if (row)
    rows.push({
      ...row,
      resolution: `${row.resolution} Reopened once, closed again after confirmation.`,
    });
}

const out = join(import.meta.dirname, "../kb/tickets/history.jsonl");
await writeFile(out, `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
process.stdout.write(`wrote ${rows.length} rows to ${out}\n`);
