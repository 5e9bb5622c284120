/**
 * A local stand-in for one Secrets Manager secret's versions and staging labels: the calls the
 * published rotation functions make (DescribeSecret, GetSecretValue, PutSecretValue,
 * UpdateSecretVersionStage, GetRandomPassword), with the label rules Secrets Manager applies.
 */
import crypto from 'node:crypto';

export class ResourceNotFoundException extends Error {
  override name = 'ResourceNotFoundException';
}

type Version = { secretString: string; stages: Set<string> };

export class LocalSecret {
  private readonly versions = new Map<string, Version>();

  constructor(
    readonly arn: string,
    initial: Record<string, unknown>,
  ) {
    this.versions.set(crypto.randomUUID(), {
      secretString: JSON.stringify(initial),
      stages: new Set(['AWSCURRENT']),
    });
  }

  describeSecret(): {
    RotationEnabled: boolean;
    VersionIdsToStages: Record<string, string[]>;
  } {
    const stages: Record<string, string[]> = {};
    for (const [id, version] of this.versions)
      if (version.stages.size > 0) stages[id] = [...version.stages];
    return { RotationEnabled: true, VersionIdsToStages: stages };
  }

  /** With both a version id and a stage, the version must carry that stage (as the real API checks). */
  getSecretValue(request: { VersionStage: string; VersionId?: string }): {
    SecretString: string;
    VersionId: string;
  } {
    for (const [id, version] of this.versions) {
      if (request.VersionId && id !== request.VersionId) continue;
      if (version.stages.has(request.VersionStage))
        return { SecretString: version.secretString, VersionId: id };
    }
    throw new ResourceNotFoundException(
      `Secrets Manager can't find the specified secret value for staging label: ${request.VersionStage}`,
    );
  }

  putSecretValue(request: {
    ClientRequestToken: string;
    SecretString: string;
    VersionStages: string[];
  }): void {
    for (const stage of request.VersionStages) this.removeStage(stage);
    this.versions.set(request.ClientRequestToken, {
      secretString: request.SecretString,
      stages: new Set(request.VersionStages),
    });
  }

  /** Moving AWSCURRENT puts AWSPREVIOUS on the version that held it, as Secrets Manager does. */
  updateSecretVersionStage(request: {
    VersionStage: string;
    MoveToVersionId: string;
    RemoveFromVersionId?: string;
  }): void {
    const target = this.versions.get(request.MoveToVersionId);
    if (!target)
      throw new ResourceNotFoundException(
        `No version ${request.MoveToVersionId}`,
      );
    if (request.RemoveFromVersionId)
      this.versions
        .get(request.RemoveFromVersionId)
        ?.stages.delete(request.VersionStage);
    if (request.VersionStage === 'AWSCURRENT' && request.RemoveFromVersionId) {
      this.removeStage('AWSPREVIOUS');
      this.versions.get(request.RemoveFromVersionId)?.stages.add('AWSPREVIOUS');
    }
    target.stages.add(request.VersionStage);
  }

  /** Secrets Manager removes AWSPENDING once the function's finishSecret step has returned. */
  completeRotation(token: string): void {
    this.versions.get(token)?.stages.delete('AWSPENDING');
  }

  getRandomPassword(request: {
    ExcludeCharacters: string;
    PasswordLength: number;
  }): { RandomPassword: string } {
    const alphabet = [
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-.:;<=>?[]^_`{|}~',
    ].filter(character => !request.ExcludeCharacters.includes(character));
    const bytes = crypto.randomBytes(request.PasswordLength);
    return {
      RandomPassword: [...bytes]
        .map(byte => alphabet[byte % alphabet.length])
        .join(''),
    };
  }

  /** Every password any version held: what a log line must never contain. */
  passwords(): string[] {
    return [...this.versions.values()].map(version =>
      String(JSON.parse(version.secretString).password),
    );
  }

  private removeStage(stage: string) {
    for (const version of this.versions.values()) version.stages.delete(stage);
  }
}
