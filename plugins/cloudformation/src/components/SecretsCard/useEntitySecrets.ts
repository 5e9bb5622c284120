import { useCallback, useEffect, useState } from 'react';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { CloudFormationSecretsAnswer } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';

interface EntitySecretsState {
  answer?: CloudFormationSecretsAnswer;
  error?: Error;
  loading: boolean;
}

/** The entity's secrets over the window; re-read when the window changes or on `retry()`. */
export function useEntitySecrets(
  entity: Entity,
  windowDays: number,
): EntitySecretsState & { retry: () => void } {
  const api = useApi(cloudFormationApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [state, setState] = useState<EntitySecretsState>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ loading: true });
    api.getEntitySecrets({ kind, namespace, name }, { windowDays }).then(
      answer => current && setState({ answer, loading: false }),
      error => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [api, kind, namespace, name, windowDays, generation]);

  const retry = useCallback(() => setGeneration(n => n + 1), []);
  return { ...state, retry };
}
