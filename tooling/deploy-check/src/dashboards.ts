// The Grafana dashboards of deploy/grafana/, as data. `npm run dashboards:generate -w @sms/deploy-check`
// writes them; tooling/deploy-check/test checks the committed files equal this and that every metric a
// query names is one the service registers.
import type { DashboardSpec, PanelSpec, Query, RowSpec } from './grafana-model.js';

const R = '$__rate_interval';
const sel = (service: string, extra = ''): string => `{service="${service}"${extra === '' ? '' : `,${extra}`}}`;
const rate = (metric: string, service: string, extra = ''): string => `rate(${metric}${sel(service, extra)}[${R}])`;
const quantile = (q: number, histogram: string, service: string, by: string, extra = ''): string =>
  `histogram_quantile(${q}, sum by (le${by === '' ? '' : `, ${by}`}) (${rate(`${histogram}_bucket`, service, extra)}))`;

/** The Node.js process row every service gets (default metrics of @sms/http's registry). */
function processRow(service: string): RowSpec {
  return {
    title: 'Process',
    panels: [
      { title: 'CPU (cores) per pod', unit: 'short', width: 8, queries: [{ expr: `sum by (pod) (${rate('process_cpu_seconds_total', service)})`, legend: '{{pod}}' }] },
      { title: 'Resident memory per pod', unit: 'bytes', width: 8, queries: [{ expr: `max by (pod) (process_resident_memory_bytes${sel(service)})`, legend: '{{pod}}' }] },
      { title: 'Event loop lag p99', unit: 's', width: 8, queries: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds${sel(service)})`, legend: '{{pod}}' }] },
    ],
  };
}

/** HTTP traffic of a service's API (request histogram of @sms/http, by route pattern). */
function httpRow(service: string, routes: string): RowSpec {
  const scope = `route=~"${routes}"`;
  return {
    title: 'HTTP API',
    panels: [
      { title: 'Requests/s by status', unit: 'reqps', queries: [{ expr: `sum by (status_code) (${rate('http_request_duration_seconds_count', service, scope)})`, legend: '{{status_code}}' }] },
      {
        title: '5xx ratio',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(${rate('http_request_duration_seconds_count', service, `${scope},status_code=~"5.."`)}) / sum(${rate('http_request_duration_seconds_count', service, scope)})`,
            legend: '5xx',
          },
        ],
      },
      { title: 'Latency p95 by route', unit: 's', queries: [{ expr: quantile(0.95, 'http_request_duration_seconds', service, 'route', scope), legend: '{{route}}' }] },
      { title: 'Latency p99 by route', unit: 's', queries: [{ expr: quantile(0.99, 'http_request_duration_seconds', service, 'route', scope), legend: '{{route}}' }] },
    ],
  };
}

const outboxPanels = (service: string, pending: string, oldest: string): PanelSpec[] => [
  { title: 'Outbox: unpublished events', unit: 'short', queries: [{ expr: `max(${pending}${sel(service)})`, legend: 'pending' }] },
  { title: 'Outbox: age of the oldest unpublished event', unit: 's', queries: [{ expr: `max(${oldest}${sel(service)})`, legend: 'oldest' }] },
];

const ORCH = 'sms-orchestrator';
const smsOrchestrator: DashboardSpec = {
  file: 'sms-orchestrator',
  title: 'SMS Orchestrator',
  description: 'The six metric families of the orchestrator (submit, pipeline stages, retries, dead letters, dependencies, outbox) and its status callbacks.',
  tags: ['sms-platform', 'sms-orchestrator'],
  rows: [
    {
      title: 'Submit API',
      panels: [
        { title: 'Submit requests/s by outcome', unit: 'reqps', queries: [{ expr: `sum by (outcome) (${rate('orch_submit_requests_total', ORCH)})`, legend: '{{outcome}}' }] },
        {
          title: 'Submit latency p95 / p99 by endpoint',
          unit: 's',
          queries: [
            { expr: quantile(0.95, 'orch_submit_duration_seconds', ORCH, 'endpoint'), legend: 'p95 {{endpoint}}' },
            { expr: quantile(0.99, 'orch_submit_duration_seconds', ORCH, 'endpoint'), legend: 'p99 {{endpoint}}' },
          ],
        },
        {
          title: '5xx ratio of /v1/sms/* (OrchHigh5xx above 1 %)',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(${rate('http_request_duration_seconds_count', ORCH, 'route=~"/v1/sms/.*",status_code=~"5.."')}) / sum(${rate('http_request_duration_seconds_count', ORCH, 'route=~"/v1/sms/.*"')})`,
              legend: '5xx',
            },
          ],
        },
        { title: 'Rejected submits/s (validation, rate limit, idempotency)', unit: 'reqps', queries: [{ expr: `sum by (outcome) (${rate('orch_submit_requests_total', ORCH, 'outcome!~"accepted|replayed"')})`, legend: '{{outcome}}' }] },
      ],
    },
    {
      title: 'Pipeline',
      panels: [
        { title: 'Stage latency p95 by stage', unit: 's', queries: [{ expr: quantile(0.95, 'orch_pipeline_stage_duration_seconds', ORCH, 'stage'), legend: '{{stage}}' }] },
        { title: 'Stage outcomes/s', unit: 'ops', queries: [{ expr: `sum by (stage, outcome) (${rate('orch_pipeline_stage_duration_seconds_count', ORCH)})`, legend: '{{stage}} {{outcome}}' }] },
        { title: 'Accepted → final, p95 by result', unit: 's', queries: [{ expr: quantile(0.95, 'orch_pipeline_duration_seconds', ORCH, 'result'), legend: '{{result}}' }] },
        { title: 'Pipeline results/s', unit: 'ops', queries: [{ expr: `sum by (result) (${rate('orch_pipeline_duration_seconds_count', ORCH)})`, legend: '{{result}}' }] },
      ],
    },
    {
      title: 'Retries and dead letters',
      panels: [
        { title: 'Retries scheduled/s by stage', unit: 'ops', queries: [{ expr: `sum by (stage) (${rate('orch_pipeline_retries_total', ORCH)})`, legend: '{{stage}}' }] },
        { title: 'Dead-lettered in 10 min by stage (OrchDlqBurst above 10)', unit: 'short', queries: [{ expr: `sum by (stage) (increase(orch_dlq_messages_total${sel(ORCH)}[10m]))`, legend: '{{stage}}' }] },
      ],
    },
    {
      title: 'Dependencies',
      panels: [
        {
          title: 'Failed share of calls by dependency',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum by (dependency) (${rate('orch_dependency_requests_total', ORCH, 'outcome!="ok"')}) / sum by (dependency) (${rate('orch_dependency_requests_total', ORCH)})`,
              legend: '{{dependency}}',
            },
          ],
        },
        { title: 'Call latency p95 by dependency and operation', unit: 's', queries: [{ expr: quantile(0.95, 'orch_dependency_duration_seconds', ORCH, 'dependency, operation'), legend: '{{dependency}} {{operation}}' }] },
      ],
    },
    {
      title: 'Outbox and status callbacks',
      panels: [
        ...outboxPanels(ORCH, 'orch_outbox_pending_events', 'orch_outbox_oldest_pending_age_seconds'),
        { title: 'Status callback attempts/s by outcome', unit: 'ops', queries: [{ expr: `sum by (outcome) (${rate('orch_callback_attempts_total', ORCH)})`, legend: '{{outcome}}' }] },
        {
          title: 'api-gateway compatibility series (remove 30 days after cut-over)',
          unit: 'reqps',
          queries: [{ expr: `sum by (outcome) (${rate('gateway_sms_requests_total', ORCH)})`, legend: '{{outcome}}' }],
        },
      ],
    },
    processRow(ORCH),
  ],
};

const NUM = 'numbering-service';
const numberingService: DashboardSpec = {
  file: 'numbering-service',
  title: 'Numbering Service',
  description: 'ValidateLease hot path, lifecycle commands, inventory and pools, audit chain, jobs, regulator export and outbox of numbering-service.',
  tags: ['sms-platform', 'numbering-service'],
  rows: [
    {
      title: 'gRPC (ValidateLease hot path)',
      panels: [
        {
          title: 'ValidateLease latency p95 / p99 (alerts at 20 ms / 50 ms)',
          unit: 's',
          queries: [
            { expr: quantile(0.95, 'numbering_grpc_request_duration_seconds', NUM, '', 'method="ValidateLease"'), legend: 'p95' },
            { expr: quantile(0.99, 'numbering_grpc_request_duration_seconds', NUM, '', 'method="ValidateLease"'), legend: 'p99' },
          ],
        },
        { title: 'gRPC calls/s by method and code', unit: 'reqps', queries: [{ expr: `sum by (method, code) (${rate('numbering_grpc_requests_total', NUM)})`, legend: '{{method}} {{code}}' }] },
        { title: 'ValidateLease answers/s by outcome', unit: 'reqps', queries: [{ expr: `sum by (outcome) (${rate('numbering_validate_lease_total', NUM)})`, legend: '{{outcome}}' }] },
        {
          title: 'Lease cache hit ratio',
          unit: 'percentunit',
          queries: [{ expr: `sum(${rate('numbering_validate_lease_total', NUM, 'cache="hit"')}) / sum(${rate('numbering_validate_lease_total', NUM)})`, legend: 'hit ratio' }],
        },
      ],
    },
    {
      title: 'Lifecycle commands',
      panels: [
        { title: 'Commands/s by command and outcome', unit: 'ops', queries: [{ expr: `sum by (command, outcome) (${rate('numbering_command_outcomes_total', NUM)})`, legend: '{{command}} {{outcome}}' }] },
        {
          title: 'CAS conflict share (NumberingConflictSpike above 5 %)',
          unit: 'percentunit',
          queries: [{ expr: `sum(${rate('numbering_command_outcomes_total', NUM, 'outcome="NUMBERING.CONFLICT"')}) / sum(${rate('numbering_command_outcomes_total', NUM)})`, legend: 'conflicts' }],
        },
      ],
    },
    {
      title: 'Inventory',
      panels: [
        { title: 'Available numbers by pool and kind', unit: 'short', queries: [{ expr: `max by (pool, kind) (numbering_inventory_available_numbers${sel(NUM)})`, legend: '{{pool}} {{kind}}' }] },
        {
          title: 'Available share by pool (exhaustion warning 10 %, critical 2 %)',
          unit: 'percentunit',
          queries: [{ expr: `max by (pool, kind) (numbering_inventory_available_numbers${sel(NUM)}) / max by (pool, kind) (numbering_inventory_numbers${sel(NUM)})`, legend: '{{pool}} {{kind}}' }],
        },
        { title: 'Overdue reservations and quarantines', unit: 'short', queries: [
          { expr: `max(numbering_overdue_reservations${sel(NUM)})`, legend: 'reservations past TTL' },
          { expr: `max(numbering_overdue_quarantines${sel(NUM)})`, legend: 'quarantines past cool-off' },
        ] },
      ],
    },
    {
      title: 'Audit chain, jobs and regulator export',
      panels: [
        { title: 'Audit chain broken (1 = broken)', kind: 'stat', unit: 'none', thresholds: { critical: 1 }, queries: [{ expr: `max(numbering_audit_chain_broken${sel(NUM)})`, legend: 'broken' }] },
        { title: 'Audit chain last verified', kind: 'stat', unit: 's', queries: [{ expr: `time() - max(numbering_audit_chain_verified_timestamp_seconds${sel(NUM)})`, legend: 'age' }] },
        { title: 'Lease renewal failures (24 h)', kind: 'stat', unit: 'short', thresholds: { critical: 1 }, queries: [{ expr: `sum(increase(numbering_lease_renewal_failures_total${sel(NUM)}[24h]))`, legend: 'failures' }] },
        { title: 'Regulator export failures (35 d)', kind: 'stat', unit: 'short', thresholds: { critical: 1 }, queries: [{ expr: `sum(increase(numbering_regulator_export_failures_total${sel(NUM)}[35d]))`, legend: 'failures' }] },
        { title: 'Job runs/h by job and outcome', unit: 'short', queries: [{ expr: `sum by (job, outcome) (increase(numbering_job_runs_total${sel(NUM)}[1h]))`, legend: '{{job}} {{outcome}}' }] },
        ...outboxPanels(NUM, 'numbering_outbox_pending_events', 'numbering_outbox_oldest_age_seconds'),
      ],
    },
    httpRow(NUM, '/v1/.*'),
    processRow(NUM),
  ],
};

const OPS = 'operator-management';
const operatorManagement: DashboardSpec = {
  file: 'operator-management',
  title: 'Operator Management',
  description: 'Operator (MNO) health, health reports, credential requests, secret store, outbox and health-log partitions.',
  tags: ['sms-platform', 'operator-management'],
  rows: [
    {
      title: 'Operators',
      panels: [
        { title: 'Operator health (1 = in this state)', unit: 'short', queries: [{ expr: `max by (operator_code, state) (ops_operator_health_state${sel(OPS)}) == 1`, legend: '{{operator_code}} {{state}}' }] },
        { title: 'Health state changes/h', unit: 'short', queries: [{ expr: `sum by (state) (increase(ops_health_state_changes_total${sel(OPS)}[1h]))`, legend: '{{state}}' }] },
        { title: 'Health reports/s by source and outcome', unit: 'ops', queries: [{ expr: `sum by (source, outcome) (${rate('ops_health_reports_total', OPS)})`, legend: '{{source}} {{outcome}}' }] },
        { title: 'Newest health report age', unit: 's', queries: [{ expr: `time() - max(ops_health_report_last_received_timestamp_seconds${sel(OPS)})`, legend: 'age' }] },
      ],
    },
    {
      title: 'Credentials and secret store',
      panels: [
        { title: 'Secret store (Vault) up', kind: 'stat', unit: 'none', queries: [{ expr: `min(ops_secret_store_up${sel(OPS)})`, legend: 'up' }] },
        { title: 'Credential requests refused (10 min)', kind: 'stat', unit: 'short', thresholds: { critical: 1 }, queries: [{ expr: `sum(increase(ops_credential_requests_total${sel(OPS, 'outcome!="granted"')}[10m]))`, legend: 'refused' }] },
        { title: 'Credential requests/s by outcome', unit: 'ops', queries: [{ expr: `sum by (outcome) (${rate('ops_credential_requests_total', OPS)})`, legend: '{{outcome}}' }] },
      ],
    },
    {
      title: 'Jobs, partitions and outbox',
      panels: [
        { title: 'Health-log partitions ahead (days)', kind: 'stat', unit: 'short', queries: [{ expr: `max(ops_health_log_partitions_ahead_days${sel(OPS)})`, legend: 'days' }] },
        { title: 'Partition maintenance last success', kind: 'stat', unit: 's', queries: [{ expr: `time() - max(ops_health_log_partition_maintenance_last_success_timestamp_seconds${sel(OPS)})`, legend: 'age' }] },
        { title: 'Job runs/h (sweep, partition maintenance)', unit: 'short', queries: [
          { expr: `sum by (outcome) (increase(ops_health_sweeps_total${sel(OPS)}[1h]))`, legend: 'sweep {{outcome}}' },
          { expr: `sum by (outcome) (increase(ops_health_log_partition_maintenance_total${sel(OPS)}[1h]))`, legend: 'partitions {{outcome}}' },
        ] },
        ...outboxPanels(OPS, 'ops_outbox_pending_events', 'ops_outbox_oldest_pending_age_seconds'),
      ],
    },
    httpRow(OPS, '/v1/.*'),
    processRow(OPS),
  ],
};

const CFG = 'config-service';
const configOverview: DashboardSpec = {
  file: 'config-service',
  title: 'Config Service Overview',
  description: 'config-service at a glance: resolution traffic and latency, changes, inbox, cache, access policy, outbox.',
  tags: ['sms-platform', 'config-service'],
  rows: [
    {
      title: 'Resolution',
      panels: [
        { title: 'Resolutions/s by outcome', unit: 'reqps', queries: [{ expr: `sum by (outcome) (${rate('config_resolutions_total', CFG)})`, legend: '{{outcome}}' }] },
        { title: 'Resolution latency p95 (SLO 100 ms)', unit: 's', queries: [{ expr: quantile(0.95, 'config_resolution_duration_seconds', CFG, ''), legend: 'p95' }] },
      ],
    },
    {
      title: 'Changes and events',
      panels: [
        { title: 'Changes/s by operation and outcome', unit: 'ops', queries: [{ expr: `sum by (operation, outcome) (${rate('config_changes_total', CFG)})`, legend: '{{operation}} {{outcome}}' }] },
        { title: 'Inbox events/s by type and outcome', unit: 'ops', queries: [{ expr: `sum by (type, outcome) (${rate('config_inbox_events_total', CFG)})`, legend: '{{type}} {{outcome}}' }] },
        ...outboxPanels(CFG, 'config_outbox_pending', 'config_outbox_oldest_age_seconds'),
      ],
    },
    httpRow(CFG, '/v1/.*'),
    processRow(CFG),
  ],
};

const configResolution: DashboardSpec = {
  file: 'config-service-resolution',
  title: 'Resolution Pipeline Breakdown',
  description: 'Where config-service resolution time goes: cache hits and misses, access refusals, invalidations and policy reloads.',
  tags: ['sms-platform', 'config-service'],
  rows: [
    {
      title: 'Cache',
      panels: [
        {
          title: 'Resolution cache hit ratio',
          unit: 'percentunit',
          queries: [{ expr: `sum(${rate('config_resolutions_total', CFG, 'cache="hit"')}) / sum(${rate('config_resolutions_total', CFG)})`, legend: 'hit ratio' }],
        },
        { title: 'Resolutions/s by cache and outcome', unit: 'reqps', queries: [{ expr: `sum by (cache, outcome) (${rate('config_resolutions_total', CFG)})`, legend: '{{cache}} {{outcome}}' }] },
        {
          title: 'Latency p50 / p95 / p99 by cache',
          unit: 's',
          queries: [0.5, 0.95, 0.99].map((q): Query => ({ expr: quantile(q, 'config_resolution_duration_seconds', CFG, 'cache'), legend: `p${Math.round(q * 100)} {{cache}}` })),
        },
        { title: 'Cache invalidations/s by outcome', unit: 'ops', queries: [{ expr: `sum by (outcome) (${rate('config_cache_invalidations_total', CFG)})`, legend: '{{outcome}}' }] },
      ],
    },
    {
      title: 'Access and HTTP',
      panels: [
        { title: 'Refused and failed resolutions/s', unit: 'reqps', queries: [{ expr: `sum by (outcome) (${rate('config_resolutions_total', CFG, 'outcome=~"refused|error|not_found"')})`, legend: '{{outcome}}' }] },
        { title: 'Policy reloads by trigger and outcome (1 h)', unit: 'short', queries: [{ expr: `sum by (trigger, outcome) (increase(config_policy_reloads_total${sel(CFG)}[1h]))`, legend: '{{trigger}} {{outcome}}' }] },
        {
          title: 'HTTP p95 of the resolution routes',
          unit: 's',
          queries: [{ expr: quantile(0.95, 'http_request_duration_seconds', CFG, 'route', 'route=~"/v1/resolve|/v1/nodes/.*/resolved"'), legend: '{{route}}' }],
        },
        {
          title: 'Time outside the resolver (HTTP p95 − resolution p95)',
          unit: 's',
          queries: [
            {
              expr: `${quantile(0.95, 'http_request_duration_seconds', CFG, '', 'route=~"/v1/resolve|/v1/nodes/.*/resolved"')} - ${quantile(0.95, 'config_resolution_duration_seconds', CFG, '')}`,
              legend: 'HTTP, auth and JSON',
            },
          ],
        },
      ],
    },
  ],
};

const RTE = 'routing-engine';
const routingEngine: DashboardSpec = {
  file: 'routing-engine',
  title: 'Routing Engine',
  description: 'Route decisions, skipped operators, consumed operator events and the routing table.',
  tags: ['sms-platform', 'routing-engine'],
  rows: [
    {
      title: 'Decisions',
      panels: [
        { title: 'Decisions/s by outcome and via', unit: 'ops', queries: [{ expr: `sum by (outcome, via) (${rate('routing_decisions_total', RTE)})`, legend: '{{outcome}} {{via}}' }] },
        { title: 'Decision time p99 (in-memory table)', unit: 's', queries: [{ expr: quantile(0.99, 'routing_decision_duration_seconds', RTE, 'outcome'), legend: '{{outcome}}' }] },
        { title: 'Operators skipped/s by reason', unit: 'ops', queries: [{ expr: `sum by (reason) (${rate('routing_skipped_operators_total', RTE)})`, legend: '{{reason}}' }] },
        {
          title: 'No-route share',
          unit: 'percentunit',
          queries: [{ expr: `sum(${rate('routing_decisions_total', RTE, 'outcome!="route"')}) / sum(${rate('routing_decisions_total', RTE)})`, legend: 'no route' }],
        },
      ],
    },
    {
      title: 'Routing table',
      panels: [
        { title: 'Table loaded (all replicas)', kind: 'stat', unit: 'none', queries: [{ expr: `min(routing_table_loaded${sel(RTE)})`, legend: 'loaded' }] },
        { title: 'Rule set version (min / max over replicas)', kind: 'stat', unit: 'none', queries: [
          { expr: `min(routing_rule_set_version${sel(RTE)})`, legend: 'min' },
          { expr: `max(routing_rule_set_version${sel(RTE)})`, legend: 'max' },
        ] },
        { title: 'State reload failures (1 h)', kind: 'stat', unit: 'short', thresholds: { critical: 1 }, queries: [{ expr: `sum(increase(routing_state_reload_failures_total${sel(RTE)}[1h]))`, legend: 'failures' }] },
        { title: 'Operator events/s by type and outcome', unit: 'ops', queries: [{ expr: `sum by (type, outcome) (${rate('routing_events_total', RTE)})`, legend: '{{type}} {{outcome}}' }] },
      ],
    },
    httpRow(RTE, '/v1/routes/.*'),
    processRow(RTE),
  ],
};

const SMPP = 'smpp-gateway';
const smppGateway: DashboardSpec = {
  file: 'smpp-gateway',
  title: 'SMPP Gateway',
  description: 'Binds to the operators’ SMSCs, submit_sm responses and latency, outbound handling and delivery receipts.',
  tags: ['sms-platform', 'smpp-gateway'],
  rows: [
    {
      title: 'Binds',
      panels: [
        { title: 'Binds up by operator', unit: 'short', queries: [{ expr: `sum by (operator) (smpp_bind_up${sel(SMPP)})`, legend: '{{operator}}' }] },
        { title: 'Bind state changes/h', unit: 'short', queries: [{ expr: `sum by (connection, state) (increase(smpp_bind_state_changes_total${sel(SMPP)}[1h]))`, legend: '{{connection}} {{state}}' }] },
      ],
    },
    {
      title: 'Submit',
      panels: [
        { title: 'submit_sm responses/s by status', unit: 'ops', queries: [{ expr: `sum by (connection, status) (${rate('smpp_submit_responses_total', SMPP)})`, legend: '{{connection}} {{status}}' }] },
        {
          title: 'Throttled share (0x58, 0x14)',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum by (connection) (${rate('smpp_submit_responses_total', SMPP, 'status=~"0x0*58|0x0*14"')}) / sum by (connection) (${rate('smpp_submit_responses_total', SMPP)})`,
              legend: '{{connection}}',
            },
          ],
        },
        { title: 'submit_sm response time p95 by connection', unit: 's', queries: [{ expr: quantile(0.95, 'smpp_submit_response_seconds', SMPP, 'connection'), legend: '{{connection}}' }] },
        { title: 'Outbound requests/s by outcome', unit: 'ops', queries: [{ expr: `sum by (outcome) (${rate('smpp_outbound_messages_total', SMPP)})`, legend: '{{outcome}}' }] },
      ],
    },
    {
      title: 'Delivery receipts',
      panels: [{ title: 'Receipts/s by outcome', unit: 'ops', width: 24, queries: [{ expr: `sum by (outcome) (${rate('smpp_delivery_receipts_total', SMPP)})`, legend: '{{outcome}}' }] }],
    },
    processRow(SMPP),
  ],
};

/** An SLO's good/total ratio over a window, from a histogram's bucket at the objective's threshold. */
const latencySli = (histogram: string, service: string, le: string, window: string, extra = ''): string =>
  `sum(rate(${histogram}_bucket${sel(service, `${extra === '' ? '' : `${extra},`}le="${le}"`)}[${window}])) / sum(rate(${histogram}_count${sel(service, extra)}[${window}]))`;
const submitErrorRatio = (window: string): string =>
  `sum(rate(http_request_duration_seconds_count${sel(ORCH, 'route=~"/v1/sms/.*",status_code=~"5.."')}[${window}])) / sum(rate(http_request_duration_seconds_count${sel(ORCH, 'route=~"/v1/sms/.*"')}[${window}]))`;

/** Burn rate = error ratio / error budget (1 − objective); 14.4 over 1 h and 6 over 6 h are the fast and slow pages. */
const burn = (errorRatio: string, objective: number): string => `(${errorRatio}) / ${(1 - objective).toFixed(4)}`;

const slo: DashboardSpec = {
  file: 'slo',
  title: 'SMS Platform SLOs',
  description:
    'Service level objectives with error-budget burn rates (multi-window: 14.4× over 1 h and 6× over 6 h page; 1× over 3 d tickets). Objectives: submit availability 99.9 %, submit p95 ≤ 200 ms, pipeline p95 ≤ 500 ms, ValidateLease p95 ≤ 20 ms, config resolution p95 ≤ 100 ms.',
  tags: ['sms-platform', 'slo'],
  rows: [
    {
      title: 'Submit availability (99.9 % of /v1/sms/* answers are not 5xx, 30 days)',
      panels: [
        { title: 'Burn rate 1 h (page above 14.4)', kind: 'stat', unit: 'none', thresholds: { warn: 6, critical: 14.4 }, queries: [{ expr: burn(submitErrorRatio('1h'), 0.999), legend: '1h' }] },
        { title: 'Burn rate 6 h (page above 6)', kind: 'stat', unit: 'none', thresholds: { warn: 3, critical: 6 }, queries: [{ expr: burn(submitErrorRatio('6h'), 0.999), legend: '6h' }] },
        { title: 'Burn rate 3 d (ticket above 1)', kind: 'stat', unit: 'none', thresholds: { critical: 1 }, queries: [{ expr: burn(submitErrorRatio('3d'), 0.999), legend: '3d' }] },
        { title: 'Error budget left (30 d)', kind: 'stat', unit: 'percentunit', queries: [{ expr: `1 - (${submitErrorRatio('30d')}) / 0.0010`, legend: 'budget left' }] },
        {
          title: 'Burn rate over time (5 m, 1 h, 6 h)',
          unit: 'none',
          width: 24,
          queries: ['5m', '1h', '6h'].map((w): Query => ({ expr: burn(submitErrorRatio(w), 0.999), legend: w })),
        },
      ],
    },
    {
      title: 'Latency objectives (share of requests within the threshold)',
      panels: [
        {
          title: 'Submit within 200 ms (objective 95 %)',
          unit: 'percentunit',
          queries: [{ expr: latencySli('orch_submit_duration_seconds', ORCH, '0.2', '1h'), legend: '1h' }],
        },
        {
          title: 'Pipeline accepted → final within 500 ms (objective 95 %)',
          unit: 'percentunit',
          queries: [{ expr: latencySli('orch_pipeline_duration_seconds', ORCH, '0.5', '1h'), legend: '1h' }],
        },
        {
          title: 'ValidateLease within 20 ms (objective 95 %)',
          unit: 'percentunit',
          queries: [{ expr: latencySli('numbering_grpc_request_duration_seconds', NUM, '0.02', '1h', 'method="ValidateLease"'), legend: '1h' }],
        },
        {
          title: 'Config resolution within 100 ms (objective 95 %)',
          unit: 'percentunit',
          queries: [{ expr: latencySli('config_resolution_duration_seconds', CFG, '0.1', '1h'), legend: '1h' }],
        },
        {
          title: 'Latency burn rates 1 h (budget 5 %; page above 14.4)',
          unit: 'none',
          width: 24,
          queries: [
            { expr: burn(`1 - ${latencySli('orch_submit_duration_seconds', ORCH, '0.2', '1h')}`, 0.95), legend: 'submit' },
            { expr: burn(`1 - ${latencySli('orch_pipeline_duration_seconds', ORCH, '0.5', '1h')}`, 0.95), legend: 'pipeline' },
            { expr: burn(`1 - ${latencySli('numbering_grpc_request_duration_seconds', NUM, '0.02', '1h', 'method="ValidateLease"')}`, 0.95), legend: 'ValidateLease' },
            { expr: burn(`1 - ${latencySli('config_resolution_duration_seconds', CFG, '0.1', '1h')}`, 0.95), legend: 'config resolution' },
          ],
        },
      ],
    },
  ],
};

/** Every dashboard, with the services whose metrics it may name. */
export const DASHBOARDS: ReadonlyArray<{ readonly spec: DashboardSpec; readonly services: readonly string[] }> = [
  { spec: smsOrchestrator, services: [ORCH] },
  { spec: numberingService, services: [NUM] },
  { spec: operatorManagement, services: [OPS] },
  { spec: configOverview, services: [CFG] },
  { spec: configResolution, services: [CFG] },
  { spec: routingEngine, services: [RTE] },
  { spec: smppGateway, services: [SMPP] },
  { spec: slo, services: [ORCH, NUM, CFG] },
];
