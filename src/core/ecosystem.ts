/**
 * Package names as each ecosystem compares them, so an inventory name meets the advisory's
 * spelling of the same package: PyPI by PEP 503 (`Foo.Bar_baz` = `foo-bar-baz`), crates.io
 * case-insensitive with `-` = `_`, NuGet / Packagist / RubyGems-style registries
 * case-insensitive, Go module paths and Maven `group:artifact` exactly, distributions exactly.
 */

/** The ecosystem without its release: `Debian:12` → `Debian`, `Ubuntu:22.04:LTS` → `Ubuntu`. */
export function ecosystemBase(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

/** The release part of an ecosystem name (`12`, `v3.20`, `22.04:LTS`), or undefined. */
export function ecosystemRelease(ecosystem: string): string | undefined {
  const i = ecosystem.indexOf(':');
  return i < 0 || i === ecosystem.length - 1 ? undefined : ecosystem.slice(i + 1);
}

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become one `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The name as the ecosystem compares it. */
export function normaliseName(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  switch (base) {
    case 'PyPI':
      return pep503(name);
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    case 'npm':
    case 'NuGet':
    case 'Packagist':
    case 'Pub':
    case 'Hex':
    case 'CRAN':
    case 'Hackage':
      return name.toLowerCase();
    case 'Maven':
      // `group:artifact`; some sources write `group/artifact`.
      return name.replace('/', ':').toLowerCase();
    default:
      // Go module paths, RubyGems and distribution packages compare exactly.
      return name;
  }
}

/**
 * The lookup key of a package in the advisory store's `packages` column: lower-cased base
 * ecosystem and normalised, lower-cased name (the store computes the same key at import).
 */
export function matchKey(ecosystem: string, name: string): string {
  return `${ecosystemBase(ecosystem).toLowerCase()}/${normaliseName(ecosystem, name).toLowerCase()}`;
}
