import { isPlainObject, joinPath } from './intrinsics';
import { SECURITY_RULES } from './security';
import type { TemplateDocument, ValidationFinding } from './types';

/** The Metadata key under which a template (or one resource) turns security rules off. */
export const IGNORE_METADATA_KEY = 'aws:cloudformation:validate';

type Ignore = { rule: string; reason: string; resource?: string };

const SECURITY_RULE_IDS: ReadonlySet<string> = new Set(SECURITY_RULES);

/**
 * Turns the findings of security rules a template switched off into `info` findings that keep the rule,
 * the path and the reason given. Like cfn-lint's `Metadata: cfn-lint: config: ignore_checks`, at template
 * level (every resource) or in one resource's Metadata (that resource only):
 *
 * ```yaml
 * Metadata:
 *   aws:cloudformation:validate:
 *     ignore:
 *       - rule: security-group-open-ingress
 *         reason: The bastion's SSH port is reached through the corporate VPN range only.
 * ```
 */
export function applyIgnores(
  template: TemplateDocument,
  findings: ValidationFinding[],
): ValidationFinding[] {
  const problems: ValidationFinding[] = [];
  const ignores = readIgnores(
    template.Metadata,
    'Metadata',
    undefined,
    problems,
  );
  if (isPlainObject(template.Resources)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (isPlainObject(resource))
        ignores.push(
          ...readIgnores(
            resource.Metadata,
            joinPath('Resources', logicalId, 'Metadata'),
            logicalId,
            problems,
          ),
        );
    }
  }
  const applied = findings.map(finding => {
    if (finding.severity === 'info') return finding;
    const ignore = ignores.find(
      candidate =>
        candidate.rule === finding.rule &&
        (candidate.resource === undefined ||
          candidate.resource === finding.resource),
    );
    if (!ignore) return finding;
    return {
      ...finding,
      severity: 'info' as const,
      message: `Turned off in Metadata (${ignore.reason}): ${finding.message}`,
    };
  });
  return [...problems, ...applied];
}

function readIgnores(
  metadata: unknown,
  metadataPath: string,
  resource: string | undefined,
  problems: ValidationFinding[],
): Ignore[] {
  if (!isPlainObject(metadata) || metadata[IGNORE_METADATA_KEY] === undefined)
    return [];
  const path = joinPath(metadataPath, IGNORE_METADATA_KEY, 'ignore');
  const settings = metadata[IGNORE_METADATA_KEY];
  const entries = isPlainObject(settings) ? settings.ignore : undefined;
  const at = resource ? { resource } : {};
  if (!Array.isArray(entries)) {
    problems.push({
      severity: 'error',
      rule: 'invalid-ignore',
      ...at,
      path,
      message: 'ignore must be a list of { rule, reason }.',
    });
    return [];
  }
  const ignores: Ignore[] = [];
  entries.forEach((entry, index) => {
    const rule = isPlainObject(entry) ? entry.rule : undefined;
    const reason = isPlainObject(entry) ? entry.reason : undefined;
    if (typeof rule !== 'string' || !SECURITY_RULE_IDS.has(rule)) {
      problems.push({
        severity: 'error',
        rule: 'invalid-ignore',
        ...at,
        path: joinPath(path, index, 'rule'),
        message: `rule must name a security rule: one of ${SECURITY_RULES.join(', ')}.`,
      });
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push({
        severity: 'error',
        rule: 'invalid-ignore',
        ...at,
        path: joinPath(path, index, 'reason'),
        message: `Turning off "${rule}" needs a reason: say why the template is safe without it.`,
      });
    } else {
      ignores.push({ rule, reason: reason.trim(), resource });
    }
  });
  return ignores;
}
