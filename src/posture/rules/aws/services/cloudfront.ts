/**
 * CloudFront distributions: viewer certificate and TLS version, access logs, plain-HTTP
 * viewers and origins, WAF, and S3 origins reachable without origin access control.
 * Terraform writes settings as nested blocks; CloudFormation under `DistributionConfig`.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { AttrPath, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { eachBlock, firstBlock, isAbsent, isEmpty, join, lower, requireSet, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, csf, iso, nist, pci, soc2, TF_DOCS, tf } from './lib/define.js';

const TF_CF = `${TF_DOCS}cloudfront_distribution`;
const CFN_CF = `${CFN_DOCS}aws-properties-cloudfront-distribution-distributionconfig.html`;
const DC = 'DistributionConfig';

/** The viewer certificate settings and their path, per input. */
function viewerCertificate(a: Attrs, tfInput: boolean): { cert: Attrs | undefined; path: AttrPath } {
  if (tfInput) {
    const b = firstBlock(a, 'viewer_certificate');
    return b === undefined ? { cert: undefined, path: ['viewer_certificate'] } : { cert: b.block, path: b.path };
  }
  const c = at(a, [DC, 'ViewerCertificate']);
  return { cert: isObject(c) ? c : undefined, path: [DC, 'ViewerCertificate'] };
}

function customCertificate(a: Attrs, tfInput: boolean): Violation[] {
  const { cert, path } = viewerCertificate(a, tfInput);
  const keys = tfInput ? ['acm_certificate_arn', 'iam_certificate_id'] : ['AcmCertificateArn', 'IamCertificateId'];
  if (cert !== undefined && keys.some((k) => !isEmpty(cert[k]))) return [];
  if (!tfInput && !isObject(at(a, [DC]))) return [];
  return [violation(path, 'the distribution uses the default *.cloudfront.net certificate, which also allows TLS 1.0')];
}

export const cloudfrontCustomCertificate = awsRule({
  id: 'VGL-AWS-141',
  title: 'CloudFront distribution uses the default certificate',
  description: 'With the default *.cloudfront.net certificate the distribution cannot serve your own domain over HTTPS and CloudFront negotiates TLS down to 1.0 with viewers, whatever minimum protocol is configured.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Serve the distribution under your own domain with an ACM certificate (acm_certificate_arn / AcmCertificateArn, sni-only) and a TLS 1.2 minimum protocol version.',
  references: [`${TF_CF}#viewer-certificate-arguments`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-alternate-domain-names.html'],
  tf: { aws_cloudfront_distribution: (r) => customCertificate(r.attrs, true) },
  cfn: { 'AWS::CloudFront::Distribution': (r) => customCertificate(r.attrs, false) },
  fix: {
    terraform: 'viewer_certificate {\n  acm_certificate_arn      = aws_acm_certificate.site.arn\n  ssl_support_method       = "sni-only"\n  minimum_protocol_version = "TLSv1.2_2021"\n}',
    cloudformation: 'ViewerCertificate:\n  AcmCertificateArn: !Ref SiteCertificate\n  SslSupportMethod: sni-only\n  MinimumProtocolVersion: TLSv1.2_2021',
  },
  bad: [
    tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    cloudfront_default_certificate = true\n  }\n}\n', 3),
    cfn('Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Enabled: true\n        ViewerCertificate:\n          CloudFrontDefaultCertificate: true\n', 7),
  ],
  good: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    acm_certificate_arn      = aws_acm_certificate.site.arn\n    ssl_support_method       = "sni-only"\n    minimum_protocol_version = "TLSv1.2_2021"\n  }\n}\n')],
});

/** CloudFront security policies below TLS 1.2 (`TLSv1`, `TLSv1_2016`, `TLSv1.1_2016`, `SSLv3`). */
const OLD_PROTOCOL = /^(SSLv3|TLSv1|TLSv1_2016|TLSv1\.1_2016)$/i;

function minimumProtocol(a: Attrs, tfInput: boolean): Violation[] {
  const { cert, path } = viewerCertificate(a, tfInput);
  if (cert === undefined) return [];
  const custom = tfInput ? ['acm_certificate_arn', 'iam_certificate_id'] : ['AcmCertificateArn', 'IamCertificateId'];
  if (!custom.some((k) => !isEmpty(cert[k]))) return [];
  const key = tfInput ? 'minimum_protocol_version' : 'MinimumProtocolVersion';
  const v = cert[key];
  if (isAbsent(v)) return [violation(join(path, key), 'no minimum protocol version: CloudFront defaults to TLSv1')];
  const s = str(v);
  return s !== undefined && OLD_PROTOCOL.test(s.trim()) ? [violation(join(path, key), `minimum protocol version ${s} allows TLS older than 1.2`)] : [];
}

export const cloudfrontTlsVersion = awsRule({
  id: 'VGL-AWS-142',
  title: 'CloudFront allows viewers to use TLS older than 1.2',
  description: 'The viewer certificate\'s minimum protocol version (TLSv1 by default) lets clients negotiate TLS 1.0 or 1.1 and their weak ciphers.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set minimum_protocol_version / MinimumProtocolVersion to TLSv1.2_2021 (or newer).',
  references: [`${TF_CF}#minimum_protocol_version`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html'],
  tf: { aws_cloudfront_distribution: (r) => minimumProtocol(r.attrs, true) },
  cfn: { 'AWS::CloudFront::Distribution': (r) => minimumProtocol(r.attrs, false) },
  fix: { terraform: 'minimum_protocol_version = "TLSv1.2_2021"', cloudformation: 'MinimumProtocolVersion: TLSv1.2_2021' },
  bad: [
    tf('resource "aws_cloudfront_distribution" "cdn" {\n  viewer_certificate {\n    acm_certificate_arn      = aws_acm_certificate.site.arn\n    ssl_support_method       = "sni-only"\n    minimum_protocol_version = "TLSv1_2016"\n  }\n}\n', 5),
    cfn('Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        ViewerCertificate:\n          AcmCertificateArn: !Ref Cert\n          SslSupportMethod: sni-only\n', 6),
  ],
  good: [cfn('Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        ViewerCertificate:\n          AcmCertificateArn: !Ref Cert\n          SslSupportMethod: sni-only\n          MinimumProtocolVersion: TLSv1.2_2021\n')],
});

export const cloudfrontLogging = awsRule({
  id: 'VGL-AWS-143',
  title: 'CloudFront access logging is disabled',
  description: 'Without standard logs there is no record of the viewer requests a distribution served, for investigating attacks, scraping or data exfiltration through the CDN.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.logging(),
  remediation: 'Configure logging_config / DistributionConfig.Logging with an S3 bucket (or real-time / v2 logging to CloudWatch).',
  references: [`${TF_CF}#logging-config-arguments`, `${CFN_CF}#cfn-cloudfront-distribution-distributionconfig-logging`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html'],
  tf: { aws_cloudfront_distribution: (r) => requireSet(r.attrs, ['logging_config'], 'access logging is not configured') },
  cfn: { 'AWS::CloudFront::Distribution': (r) => (isObject(at(r.attrs, [DC])) ? requireSet(r.attrs, [DC, 'Logging'], 'access logging is not configured') : []) },
  fix: { terraform: 'logging_config {\n  bucket = aws_s3_bucket.cdn_logs.bucket_domain_name\n  prefix = "cdn/"\n}', cloudformation: 'Logging:\n  Bucket: !GetAtt CdnLogs.DomainName\n  Prefix: cdn/' },
  bad: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n}\n', 1)],
  good: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  logging_config {\n    bucket = "logs.s3.amazonaws.com"\n  }\n}\n')],
});

/** Cache behaviours (default and ordered) with their paths, per input. */
function behaviours(a: Attrs, tfInput: boolean): { block: Attrs; path: AttrPath }[] {
  if (tfInput) return [...eachBlock(a, 'default_cache_behavior'), ...eachBlock(a, 'ordered_cache_behavior')];
  const out: { block: Attrs; path: AttrPath }[] = [];
  const d = at(a, [DC, 'DefaultCacheBehavior']);
  if (isObject(d)) out.push({ block: d, path: [DC, 'DefaultCacheBehavior'] });
  const ordered = at(a, [DC, 'CacheBehaviors']);
  if (Array.isArray(ordered)) (ordered as unknown[]).forEach((b, i) => isObject(b) && out.push({ block: b, path: [DC, 'CacheBehaviors', i] }));
  return out;
}

function viewerHttp(a: Attrs, tfInput: boolean): Violation[] {
  const key = tfInput ? 'viewer_protocol_policy' : 'ViewerProtocolPolicy';
  return behaviours(a, tfInput)
    .filter(({ block }) => lower(block, [key]) === 'allow-all')
    .map(({ path }) => violation(join(path, key), 'viewers may use plain HTTP (viewer_protocol_policy allow-all)'));
}

export const cloudfrontViewerHttp = awsRule({
  id: 'VGL-AWS-144',
  title: 'CloudFront allows viewers to use plain HTTP',
  description: 'A cache behaviour with viewer protocol policy allow-all serves content and accepts requests (cookies, tokens, form data) over unencrypted HTTP.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set viewer_protocol_policy / ViewerProtocolPolicy to redirect-to-https or https-only on every cache behaviour.',
  references: [`${TF_CF}#viewer_protocol_policy`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html'],
  tf: { aws_cloudfront_distribution: (r) => viewerHttp(r.attrs, true) },
  cfn: { 'AWS::CloudFront::Distribution': (r) => viewerHttp(r.attrs, false) },
  fix: { terraform: 'viewer_protocol_policy = "redirect-to-https"', cloudformation: 'ViewerProtocolPolicy: redirect-to-https' },
  bad: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  default_cache_behavior {\n    target_origin_id       = "s3"\n    viewer_protocol_policy = "allow-all"\n  }\n}\n', 4)],
  good: [cfn('Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        DefaultCacheBehavior:\n          TargetOriginId: s3\n          ViewerProtocolPolicy: https-only\n')],
});

export const cloudfrontWaf = awsRule({
  id: 'VGL-AWS-145',
  title: 'CloudFront distribution has no WAF web ACL',
  description: 'Without an AWS WAF web ACL the distribution passes every request to the origin: no managed rules against common exploits, bots or request floods.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: [...nist('SC-7', 'SI-4'), ...csf('PR.IR-01'), ...iso('A.8.20'), ...soc2('CC6.6'), ...pci('6.4.2')],
  remediation: 'Associate a WAF web ACL (web_acl_id / WebACLId) with the distribution.',
  references: [`${TF_CF}#web_acl_id`, 'https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html'],
  tf: { aws_cloudfront_distribution: (r) => requireSet(r.attrs, ['web_acl_id'], 'no WAF web ACL is associated') },
  cfn: { 'AWS::CloudFront::Distribution': (r) => (isObject(at(r.attrs, [DC])) ? requireSet(r.attrs, [DC, 'WebACLId'], 'no WAF web ACL is associated') : []) },
  fix: { terraform: 'web_acl_id = aws_wafv2_web_acl.cdn.arn', cloudformation: 'WebACLId: !GetAtt CdnAcl.Arn' },
  bad: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n}\n', 1)],
  good: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  enabled    = true\n  web_acl_id = aws_wafv2_web_acl.cdn.arn\n}\n')],
});

/** An S3 REST endpoint (`bucket.s3.amazonaws.com`, `…s3.eu-west-1.amazonaws.com`, a bucket attribute). */
function s3Domain(v: unknown): boolean {
  const s = str(v);
  if (s === undefined) return false;
  return /aws_s3_bucket\.[\w-]+\.bucket(_regional)?_domain_name/.test(s) || /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(s.trim());
}

function s3OriginAccess(a: Attrs, tfInput: boolean): Violation[] {
  const origins = tfInput
    ? eachBlock(a, 'origin')
    : ((at(a, [DC, 'Origins']) as unknown[] | undefined) ?? []).flatMap((o, i) => (isObject(o) ? [{ block: o, path: [DC, 'Origins', i] as AttrPath }] : []));
  return origins.flatMap(({ block, path }) => {
    if (!s3Domain(block[tfInput ? 'domain_name' : 'DomainName'])) return [];
    if (!isEmpty(block[tfInput ? 'origin_access_control_id' : 'OriginAccessControlId'])) return [];
    const oai = tfInput ? at(firstBlock(block, 's3_origin_config')?.block, ['origin_access_identity']) : at(block, ['S3OriginConfig', 'OriginAccessIdentity']);
    return isEmpty(oai) ? [violation(path, 'the S3 origin has no origin access control or identity: the bucket must be readable by anyone')] : [];
  });
}

export const cloudfrontS3OriginAccess = awsRule({
  id: 'VGL-AWS-146',
  title: 'CloudFront S3 origin has no origin access control',
  description: 'Without origin access control (or a legacy origin access identity) CloudFront fetches from the S3 bucket anonymously, so the bucket has to be public and can be read directly, bypassing the distribution.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Create an origin access control, set origin_access_control_id / OriginAccessControlId on the S3 origin and allow only that distribution in the bucket policy.',
  references: [`${TF_DOCS}cloudfront_origin_access_control`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html'],
  tf: { aws_cloudfront_distribution: (r) => s3OriginAccess(r.attrs, true) },
  cfn: { 'AWS::CloudFront::Distribution': (r) => s3OriginAccess(r.attrs, false) },
  fix: { terraform: 'origin_access_control_id = aws_cloudfront_origin_access_control.s3.id', cloudformation: 'OriginAccessControlId: !GetAtt S3Access.Id' },
  bad: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n    domain_name = aws_s3_bucket.site.bucket_regional_domain_name\n    origin_id   = "s3"\n  }\n}\n', 2)],
  good: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name\n    origin_id                = "s3"\n    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id\n  }\n}\n')],
});

function originHttp(a: Attrs, tfInput: boolean): Violation[] {
  const key = tfInput ? 'origin_protocol_policy' : 'OriginProtocolPolicy';
  const origins = tfInput
    ? eachBlock(a, 'origin').flatMap(({ block, path }) => {
        const c = firstBlock(block, 'custom_origin_config');
        return c === undefined ? [] : [{ block: c.block, path: [...path, ...c.path] }];
      })
    : ((at(a, [DC, 'Origins']) as unknown[] | undefined) ?? []).flatMap((o, i) => {
        const c = at(o, ['CustomOriginConfig']);
        return isObject(c) ? [{ block: c, path: [DC, 'Origins', i, 'CustomOriginConfig'] as AttrPath }] : [];
      });
  return origins
    .filter(({ block }) => lower(block, [key]) === 'http-only')
    .map(({ path }) => violation(join(path, key), 'CloudFront reaches the origin over plain HTTP (http-only)'));
}

export const cloudfrontOriginHttp = awsRule({
  id: 'VGL-AWS-147',
  title: 'CloudFront reaches a custom origin over plain HTTP',
  description: 'With origin protocol policy http-only, requests and responses (including viewers\' cookies and tokens) cross the internet between CloudFront and the origin unencrypted.',
  severity: 'medium',
  service: 'cloudfront',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set origin_protocol_policy / OriginProtocolPolicy to https-only with origin_ssl_protocols TLSv1.2.',
  references: [`${TF_CF}#origin_protocol_policy`, 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html'],
  tf: { aws_cloudfront_distribution: (r) => originHttp(r.attrs, true) },
  cfn: { 'AWS::CloudFront::Distribution': (r) => originHttp(r.attrs, false) },
  fix: { terraform: 'origin_protocol_policy = "https-only"\norigin_ssl_protocols   = ["TLSv1.2"]', cloudformation: 'OriginProtocolPolicy: https-only\nOriginSSLProtocols: [TLSv1.2]' },
  bad: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n    domain_name = "app.example.com"\n    origin_id   = "app"\n    custom_origin_config {\n      http_port              = 80\n      https_port             = 443\n      origin_protocol_policy = "http-only"\n      origin_ssl_protocols   = ["TLSv1.2"]\n    }\n  }\n}\n', 8)],
  good: [tf('resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n    domain_name = "app.example.com"\n    origin_id   = "app"\n    custom_origin_config {\n      http_port              = 80\n      https_port             = 443\n      origin_protocol_policy = "https-only"\n      origin_ssl_protocols   = ["TLSv1.2"]\n    }\n  }\n}\n')],
});
