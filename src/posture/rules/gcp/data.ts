/**
 * Data and serverless services: customer-managed encryption keys (BigQuery datasets, CIS GCP
 * 3.0 7.3; Artifact Registry, Dataflow, Dataproc, Vertex AI datasets), Dataflow workers with
 * public IP addresses and Cloud Functions HTTP triggers that accept plain HTTP.
 */
import type { AttrPath } from '../../model.js';
import { at } from '../../attrs.js';
import { violation } from '../../rule.js';
import { attr, known, lower, requireBool, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { bigqueryCmekLive } from './live/bigquery.js';

export const bigqueryDefaultCmek = gcpRule({
  id: 'VGL-GCP-037',
  title: 'BigQuery dataset has no default customer-managed key',
  description: 'Without default_encryption_configuration new tables in the dataset are encrypted with Google-managed keys, which the organisation cannot revoke or rotate itself.',
  severity: 'low',
  service: 'bigquery',
  types: ['google_bigquery_dataset'],
  frameworks: [cis('7.3'), ...themes('atRest', 'keys')],
  remediation: 'Add default_encryption_configuration { kms_key_name = … } pointing at a Cloud KMS key.',
  fix: 'resource "google_bigquery_dataset" "ds" {\n  # …\n  default_encryption_configuration {\n    kms_key_name = google_kms_crypto_key.bq.id\n  }\n}',
  references: [`${GOOGLE_DOCS}bigquery_dataset#default_encryption_configuration`, 'https://cloud.google.com/bigquery/docs/customer-managed-encryption'],
  live: bigqueryCmekLive,
  check(r) {
    return attr(r, ['default_encryption_configuration']) === undefined ? [violation(['default_encryption_configuration'], 'the dataset has no default customer-managed key')] : [];
  },
  bad: [{ text: 'resource "google_bigquery_dataset" "ds" {\n  dataset_id = "ds"\n  location   = "EU"\n}\n', lines: [1] }],
  good: ['resource "google_bigquery_dataset" "ds" {\n  dataset_id = "ds"\n  location   = "EU"\n  default_encryption_configuration {\n    kms_key_name = google_kms_crypto_key.bq.id\n  }\n}\n'],
});

/** Resource type → where its customer-managed key is set (blocks by index 0). */
const CMEK_PATHS: Readonly<Record<string, AttrPath>> = {
  google_artifact_registry_repository: ['kms_key_name'],
  google_dataflow_job: ['kms_key_name'],
  google_dataflow_flex_template_job: ['kms_key_name'],
  google_dataproc_cluster: ['cluster_config', 0, 'encryption_config', 0, 'kms_key_name'],
  google_vertex_ai_dataset: ['encryption_spec', 0, 'kms_key_name'],
};

/** The same path through single nested blocks written as objects (plan JSON may do so). */
function withoutIndexes(path: AttrPath): AttrPath {
  return path.filter((k) => typeof k === 'string');
}

export const serviceWithoutCmek = gcpRule({
  id: 'VGL-GCP-038',
  title: 'Service data is not encrypted with a customer-managed key',
  description:
    'Artifact Registry repositories, Dataflow jobs, Dataproc clusters and Vertex AI datasets without a Cloud KMS key are encrypted with Google-managed keys, which the organisation cannot revoke, rotate or audit itself.',
  severity: 'low',
  service: 'kms',
  types: Object.keys(CMEK_PATHS),
  frameworks: themes('atRest', 'keys'),
  remediation: 'Set the service\'s KMS key (kms_key_name, encryption_config.kms_key_name or encryption_spec.kms_key_name) to a Cloud KMS key.',
  fix: 'resource "google_artifact_registry_repository" "repo" {\n  # …\n  kms_key_name = google_kms_crypto_key.registry.id\n}',
  references: [`${GOOGLE_DOCS}artifact_registry_repository#kms_key_name`, 'https://cloud.google.com/kms/docs/cmek'],
  check(r) {
    const path = CMEK_PATHS[r.type];
    if (path === undefined || at(r.attrs, path) !== undefined || at(r.attrs, withoutIndexes(path)) !== undefined) return [];
    return [violation(path, 'no customer-managed encryption key is set')];
  },
  bad: [
    { text: 'resource "google_artifact_registry_repository" "repo" {\n  location      = "europe-west1"\n  repository_id = "images"\n  format        = "DOCKER"\n}\n', lines: [1] },
    { text: 'resource "google_dataproc_cluster" "c" {\n  name   = "c"\n  region = "europe-west1"\n  cluster_config {\n  }\n}\n', lines: [4] },
  ],
  good: ['resource "google_artifact_registry_repository" "repo" {\n  location      = "europe-west1"\n  repository_id = "images"\n  format        = "DOCKER"\n  kms_key_name  = google_kms_crypto_key.registry.id\n}\n'],
});

const job = (body: string): string =>
  `resource "google_dataflow_job" "job" {\n  name              = "job"\n  template_gcs_path = "gs://templates/job"\n  temp_gcs_location = "gs://tmp/job"\n${body}}\n`;

export const dataflowPublicIps = gcpRule({
  id: 'VGL-GCP-039',
  title: 'Dataflow workers get public IP addresses',
  description: 'Unless ip_configuration is WORKER_IP_PRIVATE, Dataflow workers get external IP addresses and can be reached from, and send data to, the Internet.',
  severity: 'medium',
  service: 'dataflow',
  types: ['google_dataflow_job', 'google_dataflow_flex_template_job'],
  frameworks: themes('network'),
  remediation: 'Set ip_configuration = "WORKER_IP_PRIVATE" and give the subnet Private Google Access.',
  fix: 'resource "google_dataflow_job" "job" {\n  # …\n  ip_configuration = "WORKER_IP_PRIVATE"\n}',
  references: [`${GOOGLE_DOCS}dataflow_job#ip_configuration`],
  check(r) {
    const v = attr(r, ['ip_configuration']);
    if (v === undefined) return [violation(['ip_configuration'], 'workers get public IP addresses (the default)')];
    return known(v) && lower(v) !== 'worker_ip_private' ? [violation(['ip_configuration'], `ip_configuration is ${show(v)}`)] : [];
  },
  bad: [
    { text: job(''), lines: [1] },
    { text: job('  ip_configuration  = "WORKER_IP_PUBLIC"\n'), lines: [5] },
  ],
  good: [job('  ip_configuration  = "WORKER_IP_PRIVATE"\n')],
});

const fn = (body: string): string =>
  `resource "google_cloudfunctions_function" "fn" {\n  name                  = "fn"\n  runtime               = "python312"\n  source_archive_bucket = "src"\n  source_archive_object = "fn.zip"\n${body}}\n`;

export const functionHttpTrigger = gcpRule({
  id: 'VGL-GCP-040',
  title: 'Cloud Function HTTP trigger accepts plain HTTP',
  description: 'An HTTP-triggered function without https_trigger_security_level = "SECURE_ALWAYS" also answers plain HTTP, exposing requests and responses in transit.',
  severity: 'medium',
  service: 'cloud-functions',
  types: ['google_cloudfunctions_function'],
  frameworks: themes('transit'),
  remediation: 'Set https_trigger_security_level = "SECURE_ALWAYS" so HTTP requests are redirected to HTTPS.',
  fix: 'resource "google_cloudfunctions_function" "fn" {\n  # …\n  trigger_http                 = true\n  https_trigger_security_level = "SECURE_ALWAYS"\n}',
  references: [`${GOOGLE_DOCS}cloudfunctions_function#https_trigger_security_level`],
  check(r) {
    if (lower(attr(r, ['trigger_http'])) !== 'true') return [];
    const level = attr(r, ['https_trigger_security_level']);
    if (level === undefined) return [violation(['https_trigger_security_level'], 'plain HTTP is accepted (the default SECURE_OPTIONAL)')];
    return known(level) && lower(level) !== 'secure_always' ? [violation(['https_trigger_security_level'], `https_trigger_security_level is ${show(level)}`)] : [];
  },
  bad: [
    { text: fn('  trigger_http          = true\n'), lines: [1] },
    { text: fn('  trigger_http                 = true\n  https_trigger_security_level = "SECURE_OPTIONAL"\n'), lines: [7] },
  ],
  good: [fn('  trigger_http                 = true\n  https_trigger_security_level = "SECURE_ALWAYS"\n'), fn('')],
});

const fusion = (body: string): string =>
  `resource "google_data_fusion_instance" "df" {\n  name   = "df"\n  region = "europe-west1"\n  type   = "BASIC"\n${body}}\n`;

export const serviceLoggingOff = gcpRule({
  id: 'VGL-GCP-041',
  title: 'Service does not send its logs to Cloud Logging',
  description: 'Data Fusion instances and Dialogflow CX agents write no logs to Cloud Logging unless enable_stackdriver_logging is true, leaving no record of pipeline runs or conversations to audit.',
  severity: 'low',
  service: 'logging',
  types: ['google_data_fusion_instance', 'google_dialogflow_cx_agent'],
  frameworks: themes('logging'),
  remediation: 'Set enable_stackdriver_logging = true.',
  fix: 'resource "google_data_fusion_instance" "df" {\n  # …\n  enable_stackdriver_logging    = true\n  enable_stackdriver_monitoring = true\n}',
  references: [`${GOOGLE_DOCS}data_fusion_instance#enable_stackdriver_logging`, `${GOOGLE_DOCS}dialogflow_cx_agent#enable_stackdriver_logging`],
  check(r) {
    const v = attr(r, ['enable_stackdriver_logging']);
    if (v === undefined) return [violation(['enable_stackdriver_logging'], 'logging to Cloud Logging is not enabled (the default)')];
    return known(v) && lower(v) !== 'true' ? [violation(['enable_stackdriver_logging'], 'logging to Cloud Logging is disabled')] : [];
  },
  bad: [
    { text: fusion(''), lines: [1] },
    { text: fusion('  enable_stackdriver_logging = false\n'), lines: [5] },
  ],
  good: [fusion('  enable_stackdriver_logging = true\n')],
});

const endpoint = (body: string): string => `resource "google_vertex_ai_index_endpoint" "ep" {\n  display_name = "ep"\n  region       = "europe-west1"\n${body}}\n`;

export const vertexPublicEndpoint = gcpRule({
  id: 'VGL-GCP-042',
  title: 'Vertex AI index endpoint is public',
  description: 'With public_endpoint_enabled = true the vector-search index endpoint is reachable from the Internet instead of only through VPC peering or Private Service Connect.',
  severity: 'medium',
  service: 'vertex-ai',
  types: ['google_vertex_ai_index_endpoint'],
  frameworks: themes('network'),
  remediation: 'Remove public_endpoint_enabled (or set it to false) and use private_service_connect_config or a VPC network.',
  fix: 'resource "google_vertex_ai_index_endpoint" "ep" {\n  # …\n  private_service_connect_config {\n    enable_private_service_connect = true\n    project_allowlist              = [data.google_project.project.number]\n  }\n}',
  references: [`${GOOGLE_DOCS}vertex_ai_index_endpoint#public_endpoint_enabled`],
  check: (r) => requireBool(r, ['public_endpoint_enabled'], false, false, 'the index endpoint is reachable from the Internet'),
  bad: [{ text: endpoint('  public_endpoint_enabled = true\n'), lines: [4] }],
  good: [endpoint(''), endpoint('  public_endpoint_enabled = false\n')],
});

export const DATA_RULES = [bigqueryDefaultCmek, serviceWithoutCmek, dataflowPublicIps, functionHttpTrigger, serviceLoggingOff, vertexPublicEndpoint];
