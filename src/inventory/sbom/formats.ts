/**
 * The SBOM output formats by their CLI/API names. Kept apart from the writers so the server
 * and the CLI can declare them without loading the SBOM stack at start-up.
 */
export const SBOM_OUTPUT_FORMATS = ['cyclonedx', 'cyclonedx-xml', 'spdx'] as const;
export type SbomOutputFormat = (typeof SBOM_OUTPUT_FORMATS)[number];
