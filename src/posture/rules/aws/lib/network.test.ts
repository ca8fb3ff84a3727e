import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource, ResourceKind } from '../../../model.js';
import { coversAllPorts, coversPort, ingressRules, isOpenCidr, openCidrs } from './network.js';

function res(kind: ResourceKind, attrs: Record<string, unknown>, meta?: Record<string, unknown>): Resource {
  return {
    kind,
    input: kind.startsWith('cfn:') ? 'cloudformation' : 'terraform',
    provider: 'aws',
    type: kind.slice(kind.indexOf(':') + 1),
    id: 'x',
    name: 'x',
    file: 'main.tf',
    line: 1,
    endLine: 1,
    attrs,
    lineOf: () => undefined,
    refs: [],
    suppressions: [],
    meta,
  };
}

describe('isOpenCidr', () => {
  test('the whole internet, in any spelling of the zero address', () => {
    for (const c of ['0.0.0.0/0', ' 0.0.0.0/0 ', '::/0', '0::/0', '0:0:0:0:0:0:0:0/0', '000.0.0.0/0']) assert.equal(isOpenCidr(c), true, c);
  });
  test('anything else is not: narrower prefixes, host bits (Terraform rejects them), junk', () => {
    for (const c of ['0.0.0.0/1', '10.0.0.0/0', '1.0.0.0/0', 'fc00::/0', '0.0.0.0', '0.0.0.0/0/0', '', '/0', '0.0.0/0', 'x'.repeat(10000)]) {
      assert.equal(isOpenCidr(c), false, c);
    }
    for (const v of [undefined, null, 0, ['0.0.0.0/0'], { Ref: 'Cidr' }]) assert.equal(isOpenCidr(v), false);
  });
});

describe('ingressRules', () => {
  test('inline blocks, protocol aliases and port ranges', () => {
    const r = res('tf:aws_security_group', {
      ingress: [
        { from_port: 20, to_port: 25, protocol: '6', cidr_blocks: ['0.0.0.0/0'] },
        { from_port: 0, to_port: 0, protocol: '-1', ipv6_cidr_blocks: ['::/0'] },
        { from_port: '${var.port}', to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
      ],
    });
    const [ssh, all, unknown] = ingressRules(r);
    assert.equal(coversPort(ssh!, 22), true);
    assert.equal(coversPort(ssh!, 3389), false);
    assert.deepEqual(openCidrs(ssh!).map((c) => c.path), [['ingress', 0, 'cidr_blocks']]);
    assert.equal(coversAllPorts(all!), true);
    assert.equal(coversPort(unknown!, 22), false, 'an unresolved port is unknown, not open');
  });

  test('rule resources: only ingress security_group_rule; a scalar cidr_blocks is a one-element list', () => {
    assert.equal(ingressRules(res('tf:aws_security_group_rule', { type: 'egress', cidr_blocks: ['0.0.0.0/0'] })).length, 0);
    const [rule] = ingressRules(res('tf:aws_security_group_rule', { type: 'ingress', protocol: 'tcp', from_port: 3389, to_port: 3389, cidr_blocks: '0.0.0.0/0' }));
    assert.equal(openCidrs(rule!).length, 1);
    const [vpc] = ingressRules(res('tf:aws_vpc_security_group_ingress_rule', { ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' }));
    assert.equal(coversAllPorts(vpc!), true);
  });

  test('the security-group module: default CIDRs have unknown ports; comma-separated cidr_blocks', () => {
    const meta = { source: 'terraform-aws-modules/security-group/aws' };
    const rules = ingressRules(
      res('tf:module', { ingress_cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'], ingress_with_cidr_blocks: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: '10.0.0.0/8,0.0.0.0/0' }] }, meta),
    );
    assert.equal(rules.length, 2);
    assert.equal(rules[0]!.protocol, undefined);
    assert.equal(coversPort(rules[1]!, 22), true);
    assert.equal(openCidrs(rules[1]!).length, 1);
    assert.deepEqual(ingressRules(res('tf:module', { ingress_cidr_blocks: ['0.0.0.0/0'] }, { source: 'someone/else' })), []);
  });

  test('CloudFormation: string ports, -1, intrinsics skipped, wrong shapes ignored', () => {
    const r = res('cfn:AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' }, { 'Fn::If': ['c', {}, {}] }, 'junk', { IpProtocol: -1, CidrIpv6: '::/0' }],
    });
    const rules = ingressRules(r);
    assert.equal(rules.length, 2);
    assert.equal(coversPort(rules[0]!, 22), true);
    assert.equal(coversAllPorts(rules[1]!), true);
    assert.deepEqual(ingressRules(res('cfn:AWS::EC2::SecurityGroup', { SecurityGroupIngress: { Ref: 'Rules' } })), []);
    assert.deepEqual(ingressRules(res('cfn:AWS::EC2::SecurityGroup', {})), []);
  });
});
