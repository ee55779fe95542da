import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes kb/tickets/history.jsonl: the resolved-ticket history of the sample
 * estate (Larkspur Commerce), in the ticket contract format. Hand-written
 * scenarios, one per recurring kind of ticket on the services of kb/, varied
 * by seeded choices and by the mess real desks export: e-mail bodies with
 * signatures, typos, pasted log lines, terse or missing fields, a row exported
 * twice. Deterministic, so the committed file only changes when this does.
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
    count: 6,
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
    count: 7,
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
    count: 3,
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
    count: 5,
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
    team: "platform-team",
    priorities: ["P2", "P3"],
    count: 4,
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
    count: 6,
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
    team: "web-team",
    priorities: ["P3", "P3", "P2"],
    count: 5,
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
    count: 5,
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
    count: 5,
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
    team: "platform-team",
    priorities: ["P2", "P3"],
    count: 6,
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
    count: 5,
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
    count: 7,
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
    count: 5,
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
    count: 5,
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
    count: 5,
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
    count: 5,
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
    count: 6,
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
    count: 9,
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
    count: 6,
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
    count: 5,
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
  priority: string;
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
      category: scenario.category,
      priority,
      team: scenario.team,
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
