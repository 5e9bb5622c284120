import { useCallback, useEffect, useState } from 'react';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { CloudFormationDriftAnswer } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';

interface EntityDriftState {
  answer?: CloudFormationDriftAnswer;
  error?: Error;
  loading: boolean;
  /** A detection runs (the backend answers once it ended). */
  detecting: boolean;
  /** Why the last detection request failed, e.g. 403 for a non-owner. */
  detectError?: Error;
}

/** The stack's last drift result, and `detect()` to run a new detection. */
export function useEntityDrift(entity: Entity) {
  const api = useApi(cloudFormationApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [state, setState] = useState<EntityDriftState>({
    loading: true,
    detecting: false,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    api.getEntityDrift({ kind, namespace, name }).then(
      answer =>
        current && setState({ answer, loading: false, detecting: false }),
      error => current && setState({ error, loading: false, detecting: false }),
    );
    return () => {
      current = false;
    };
  }, [api, kind, namespace, name, generation]);

  const retry = useCallback(() => {
    setState({ loading: true, detecting: false });
    setGeneration(n => n + 1);
  }, []);

  const detect = useCallback(() => {
    setState(previous => ({
      ...previous,
      detecting: true,
      detectError: undefined,
    }));
    api.detectEntityDrift({ kind, namespace, name }).then(
      answer => setState({ answer, loading: false, detecting: false }),
      detectError =>
        setState(previous => ({ ...previous, detecting: false, detectError })),
    );
  }, [api, kind, namespace, name]);

  return { ...state, retry, detect };
}
