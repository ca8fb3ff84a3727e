/**
 * Expressions with the value Terraform itself gives them (checked with `terraform console`,
 * Terraform 1.11, see terraform-oracle.test.ts), evaluated in the context of CONTEXT.
 */

export const CONTEXT = `variable "name" { default = "web" }
variable "ports" { default = [22, 443] }
variable "tags" { default = { env = "prod", team = "sec" } }
variable "unset" {}
locals {
  prefix = "acme-\${var.name}"
  nested = { a = { b = [1, 2, 3] } }
  users  = [{ name = "a", admin = true }, { name = "b", admin = false }]
  listing = <<-EOT
    %{ for x in ["p", "q"] ~}
    item \${x}
    %{ endfor ~}
    end
  EOT
  plain_listing = <<-EOT
    %{ for x in ["p", "q"] }
    item \${x}
    %{ endfor }
    end
  EOT
}
`;

export const EXPRESSIONS: [string, unknown][] = [
  ['"plain"', 'plain'],
  ['42', 42],
  ['1.5e3', 1500],
  ['true', true],
  ['"a\\tb\\"c\\u00e9"', 'a\tb"cé'],
  ['"$${literal} %%{x}"', '${literal} %{x}'],
  ['"${var.name}-${local.prefix}"', 'web-acme-web'],
  ['"${var.name}"', 'web'],
  ['var.ports', [22, 443]],
  ['var.ports[1]', 443],
  ['var.tags.env', 'prod'],
  ['var.tags["team"]', 'sec'],
  ['local.nested.a.b[2]', 3],
  ['local.users[*].name', ['a', 'b']],
  ['local.users.*.admin', [true, false]],
  ['[for u in local.users : u.name if u.admin]', ['a']],
  ['{ for u in local.users : u.name => u.admin }', { a: true, b: false }],
  ['{ for k, v in var.tags : v => k }', { prod: 'env', sec: 'team' }],
  ['{ for u in local.users : (u.admin ? "admins" : "users") => u.name... }', { admins: ['a'], users: ['b'] }],
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 % 4 - -1', 3],
  ['"5" + 1', 6],
  ['var.name == "web" && !false', true],
  ['1 == "1"', false],
  ['length(var.ports) > 1 ? "many" : "one"', 'many'],
  ['var.unset == null || true', true],
  ['jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*" }] })', '{"Statement":[{"Action":"*","Effect":"Allow"}],"Version":"2012-10-17"}'],
  ['jsondecode("{\\"a\\": [1, true]}")', { a: [1, true] }],
  ['merge(var.tags, { env = "dev" })', { env: 'dev', team: 'sec' }],
  ['concat(var.ports, [80])', [22, 443, 80]],
  ['lookup(var.tags, "missing", "dflt")', 'dflt'],
  ['element(var.ports, 3)', 443],
  ['join(",", ["a", "b"])', 'a,b'],
  ['split(",", "a,b")', ['a', 'b']],
  ['format("%s-%03d-%v", "x", 7, true)', 'x-007-true'],
  ['lower("ABC")', 'abc'],
  ['upper("abc")', 'ABC'],
  ['replace("a-b-c", "-", "_")', 'a_b_c'],
  ['coalesce("", null, "z")', 'z'],
  ['keys(var.tags)', ['env', 'team']],
  ['values(var.tags)', ['prod', 'sec']],
  ['toset(["b", "a", "b"])', ['a', 'b']],
  ['tostring(5)', '5'],
  ['tonumber("12")', 12],
  ['try(var.tags.nope, "fallback")', 'fallback'],
  ['can(var.tags.nope)', false],
  ['can(var.tags.env)', true],
  ['contains(var.ports, 22)', true],
  ['flatten([[1], [2, [3]]])', [1, 2, 3]],
  ['distinct([1, 1, 2])', [1, 2]],
  ['compact(["a", "", null, "b"])', ['a', 'b']],
  ['cidrsubnet("10.0.0.0/16", 8, 2)', '10.0.2.0/24'],
  ['cidrhost("10.0.0.0/24", 5)', '10.0.0.5'],
  ['"%{ for p in var.ports }${p};%{ endfor }"', '22;443;'],
  ['"%{ if var.name == "web" }yes%{ else }no%{ endif }"', 'yes'],
  ['path.module', '.'],
  ['terraform.workspace', 'default'],
  ['range(3)', [0, 1, 2]],
  ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  // A `~` that strips a newline leaves the next line's indentation in place (Terraform does so).
  ['local.listing', '    item p\n    item q\n    end\n'],
  ['local.plain_listing', '\nitem p\n\nitem q\n\nend\n'],
  ['"a  ${~ "b" ~}  c"', 'abc'],
  ['"%{ if true ~}  yes  %{~ else }no%{ endif }|"', 'yes|'],
  ['format("%5s|%-4s|%.2f|%x", "ab", "cd", 3.14159, 255)', '   ab|cd  |3.14|ff'],
  ['jsonencode({ b = [1, "x", null, true], a = { z = 1.5 } })', '{"a":{"z":1.5},"b":[1,"x",null,true]}'],
  ['title("hello world-foo")', 'Hello World-Foo'],
  ['cidrsubnet("10.1.0.0/16", 4, 15)', '10.1.240.0/20'],
  ['[for i, p in var.ports : "${i}:${p}"]', ['0:22', '1:443']],
  ['substr("hello", 1, 3)', 'ell'],
  ['trimprefix("prod-db", "prod-")', 'db'],
  ['max(3, 9, 1)', 9],
  ['one([]) == null', true],
  ['sort(["b", "a"])', ['a', 'b']],
  ['slice([1, 2, 3, 4], 1, 3)', [2, 3]],
  ['base64encode("hi")', 'aGk='],
  ['startswith("arn:aws", "arn:")', true],
  ['alltrue([true, "true"])', true],
  ['var.tags["env"] != "dev" ? upper(var.tags.env) : "x"', 'PROD'],
  ['-5 + 2 * -3', -11],
  ['7 / 2', 3.5],
  ['!(1 > 2) == true', true],
];

