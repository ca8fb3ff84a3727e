/** Terraform naming shared by the HCL and plan inputs: providers from type prefixes, addresses. */
import type { Provider } from '../../model.js';

/** The cloud of a resource type from its prefix (`aws_s3_bucket` → aws). */
export function providerOfType(type: string): Provider {
  if (type.startsWith('aws_')) return 'aws';
  if (type.startsWith('azurerm_') || type.startsWith('azuread_') || type.startsWith('azapi_')) return 'azure';
  if (type.startsWith('google_')) return 'gcp';
  if (type.startsWith('kubernetes_')) return 'kubernetes';
  if (type.startsWith('docker_')) return 'docker';
  return 'other';
}

/** The instance key as Terraform writes it in an address: `[0]`, `["a"]`, or nothing. */
export function instanceKey(key: string | number | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** A reference with its instance keys removed: `module.a["x"].aws_s3_bucket.b[0]` → `module.a["x"].aws_s3_bucket.b`. */
export function stripResourceIndex(address: string): string {
  if (!address.endsWith(']')) return address;
  let lastOpen = -1;
  let inString = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[') lastOpen = i;
  }
  return lastOpen < 0 ? address : address.slice(0, lastOpen);
}
