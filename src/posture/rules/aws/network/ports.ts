/**
 * Services that must not face the whole internet, one row each (Prowler's
 * ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_* and
 * ec2_instance_port_*_exposed_to_internet checks, plus the admin, file-sharing, container and
 * directory ports the same reasoning covers). Two rule builders read the table:
 * sg-ports.ts (a security group opens the port to 0.0.0.0/0 or ::/0) and instance-ports.ts
 * (an instance with a public address sits behind such a group). SSH and RDP have their
 * security group rules in ../sg-ingress.ts (VGL-AWS-023 / 024), so only instance ids here.
 */
import type { PostureSeverity } from '../../../model.js';
import type { Ingress } from '../lib/network.js';

export type Protocol = 'tcp' | 'udp';

export interface ExposedService {
  /** Short name used in titles: `MySQL (3306)`. */
  readonly name: string;
  /** What it is and why it must stay private (one sentence, used in the description). */
  readonly why: string;
  /** Ports or inclusive ranges. */
  readonly ports: readonly (number | readonly [number, number])[];
  readonly protocols: readonly Protocol[];
  /** Security-group rule id (absent: an older rule covers the group). */
  readonly sg?: string;
  /** Instance-exposure rule id. */
  readonly instance?: string;
  readonly severity: PostureSeverity;
  /** Remote administration (CIS AWS 5.2 / 5.3 family, NIST AC-17). */
  readonly admin?: boolean;
  /** CIS AWS 3.0 controls. */
  readonly cis?: readonly string[];
}

const TCP: readonly Protocol[] = ['tcp'];
const BOTH: readonly Protocol[] = ['tcp', 'udp'];

export const EXPOSED_SERVICES: readonly ExposedService[] = [
  { name: 'SSH (22)', why: 'SSH is scanned and brute-forced within minutes of a host appearing on the internet', ports: [22], protocols: TCP, instance: 'VGL-AWS-330', severity: 'critical', admin: true, cis: ['5.2', '5.3'] },
  { name: 'RDP (3389)', why: 'internet-facing RDP is a leading ransomware entry point', ports: [3389], protocols: BOTH, instance: 'VGL-AWS-331', severity: 'critical', admin: true, cis: ['5.2', '5.3'] },
  { name: 'Telnet (23)', why: 'Telnet sends credentials and sessions in clear text', ports: [23], protocols: TCP, sg: 'VGL-AWS-300', instance: 'VGL-AWS-332', severity: 'high', admin: true },
  { name: 'FTP (20, 21)', why: 'FTP sends credentials and files in clear text and is a common brute-force target', ports: [[20, 21]], protocols: TCP, sg: 'VGL-AWS-301', instance: 'VGL-AWS-333', severity: 'high' },
  { name: 'SMB / CIFS (445)', why: 'Windows file sharing on the internet is how WannaCry-style worms spread', ports: [445], protocols: BOTH, sg: 'VGL-AWS-302', instance: 'VGL-AWS-334', severity: 'high', admin: true },
  { name: 'MySQL (3306)', why: 'a database port on the internet invites credential stuffing and engine exploits', ports: [3306], protocols: TCP, sg: 'VGL-AWS-303', instance: 'VGL-AWS-335', severity: 'high' },
  { name: 'PostgreSQL (5432)', why: 'a database port on the internet invites credential stuffing and engine exploits', ports: [5432], protocols: TCP, sg: 'VGL-AWS-304', instance: 'VGL-AWS-336', severity: 'high' },
  { name: 'Oracle (1521, 2483, 2484)', why: 'the Oracle listener on the internet invites credential attacks and TNS exploits', ports: [1521, [2483, 2484]], protocols: TCP, sg: 'VGL-AWS-305', instance: 'VGL-AWS-337', severity: 'high' },
  { name: 'SQL Server (1433, 1434)', why: 'SQL Server and its browser service on the internet invite brute force and exploits', ports: [[1433, 1434]], protocols: BOTH, sg: 'VGL-AWS-306', instance: 'VGL-AWS-338', severity: 'high' },
  { name: 'MongoDB (27017, 27018)', why: 'internet-facing MongoDB instances are routinely wiped and held for ransom', ports: [[27017, 27018]], protocols: TCP, sg: 'VGL-AWS-307', instance: 'VGL-AWS-339', severity: 'high' },
  { name: 'Redis (6379)', why: 'Redis has no authentication by default and can be turned into remote code execution', ports: [6379], protocols: TCP, sg: 'VGL-AWS-308', instance: 'VGL-AWS-340', severity: 'high' },
  { name: 'Memcached (11211)', why: 'Memcached has no authentication and its UDP port amplifies DDoS attacks', ports: [11211], protocols: BOTH, sg: 'VGL-AWS-309', instance: 'VGL-AWS-341', severity: 'high' },
  { name: 'Elasticsearch / Kibana (9200, 9300, 5601)', why: 'open Elasticsearch clusters are a leading source of data leaks', ports: [9200, 9300, 5601], protocols: TCP, sg: 'VGL-AWS-310', instance: 'VGL-AWS-342', severity: 'high' },
  { name: 'Cassandra (7199, 9160, 8888)', why: 'Cassandra JMX, Thrift and OpsCenter ports give control of the cluster', ports: [7199, 9160, 8888], protocols: TCP, sg: 'VGL-AWS-311', instance: 'VGL-AWS-343', severity: 'high' },
  { name: 'Kafka (9092)', why: 'an open Kafka broker lets anyone read and write the topics', ports: [9092], protocols: TCP, sg: 'VGL-AWS-312', instance: 'VGL-AWS-344', severity: 'high' },
  { name: 'LDAP (389, 636)', why: 'directory services on the internet leak accounts and amplify DDoS (CLDAP)', ports: [389, 636], protocols: BOTH, sg: 'VGL-AWS-313', instance: 'VGL-AWS-345', severity: 'high' },
  { name: 'Kerberos (88)', why: 'an internet-facing KDC allows password spraying and AS-REP roasting', ports: [88], protocols: BOTH, sg: 'VGL-AWS-314', instance: 'VGL-AWS-346', severity: 'high' },
  { name: 'NetBIOS (137-139)', why: 'NetBIOS leaks host and share names and carries legacy SMB', ports: [[137, 139]], protocols: BOTH, sg: 'VGL-AWS-315', severity: 'high' },
  { name: 'SMTP (25)', why: 'an open mail port on a non-mail host becomes a spam relay or exposes an unmaintained MTA', ports: [25], protocols: TCP, sg: 'VGL-AWS-316', severity: 'medium' },
  { name: 'POP3 / IMAP (110, 143)', why: 'clear-text mailbox protocols expose credentials', ports: [110, 143], protocols: TCP, sg: 'VGL-AWS-317', severity: 'medium' },
  { name: 'DNS (53)', why: 'an open resolver is abused for DNS amplification attacks', ports: [53], protocols: BOTH, sg: 'VGL-AWS-318', severity: 'medium' },
  { name: 'NFS (2049)', why: 'NFS trusts client-supplied identities; exports become readable by anyone', ports: [2049], protocols: BOTH, sg: 'VGL-AWS-319', severity: 'high' },
  { name: 'Microsoft RPC (135)', why: 'the RPC endpoint mapper exposes Windows services to remote exploits', ports: [135], protocols: BOTH, sg: 'VGL-AWS-320', severity: 'high', admin: true },
  { name: 'VNC (5900)', why: 'VNC often has weak or no passwords and gives a full desktop', ports: [5900], protocols: TCP, sg: 'VGL-AWS-321', severity: 'high', admin: true },
  { name: 'Docker daemon (2375, 2376)', why: 'the Docker API gives root on the host to whoever reaches it', ports: [[2375, 2376]], protocols: TCP, sg: 'VGL-AWS-322', severity: 'critical', admin: true },
  { name: 'Kubernetes control plane (6443, 2379-2380, 10250)', why: 'the API server, etcd and the kubelet API give control of the cluster', ports: [6443, [2379, 2380], 10250], protocols: TCP, sg: 'VGL-AWS-323', severity: 'high', admin: true },
  { name: 'WinRM (5985, 5986)', why: 'Windows Remote Management gives remote command execution', ports: [[5985, 5986]], protocols: TCP, sg: 'VGL-AWS-324', severity: 'high', admin: true },
  { name: 'SNMP (161)', why: 'SNMP with community strings leaks configuration and amplifies DDoS', ports: [161], protocols: ['udp'], sg: 'VGL-AWS-325', severity: 'medium' },
  { name: 'RabbitMQ (5672, 15672)', why: 'the broker and its management UI ship with guessable default credentials', ports: [5672, 15672], protocols: TCP, sg: 'VGL-AWS-326', severity: 'medium' },
  { name: 'ZooKeeper (2181)', why: 'ZooKeeper has no authentication by default and holds cluster configuration', ports: [2181], protocols: TCP, sg: 'VGL-AWS-327', severity: 'high' },
];

/** Does the rule let any of the service's ports in (over one of its protocols, or all traffic)? */
export function reaches(rule: Ingress, service: ExposedService): boolean {
  if (rule.protocol === undefined || rule.from === undefined || rule.to === undefined) return false;
  if (rule.protocol !== 'all' && !(service.protocols as readonly string[]).includes(rule.protocol)) return false;
  const { from, to } = rule;
  return service.ports.some((p) => {
    const [lo, hi] = typeof p === 'number' ? [p, p] : p;
    return from <= hi && lo <= to;
  });
}

/** The first port of the service (examples and CLI placeholders). */
export const firstPort = (service: ExposedService): number => {
  const p = service.ports[0];
  return p === undefined ? 0 : typeof p === 'number' ? p : p[0];
};
