/**
 * Key of the one-line human description every generated resource carries in its CloudFormation
 * `Metadata` (like Copilot's `aws:copilot:description`), e.g.
 * `Metadata: { 'backstage:description': 'Database credentials (Secrets Manager)' }`.
 * Deploy progress and the entity card show it instead of a logical id.
 */
export const METADATA_DESCRIPTION_KEY = 'backstage:description';
