import { useCallback, useEffect, useState } from 'react';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { CloudFormationStackAnswer } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';

/** While a stack operation runs the card re-reads it this often (the backend caches 5 s then). */
export const IN_PROGRESS_POLL_MS = 10_000;

interface EntityStackState {
  answer?: CloudFormationStackAnswer;
  error?: Error;
  loading: boolean;
}

/** The entity's stack answer; re-read on `retry()` and periodically while an operation runs. */
export function useEntityStack(
  entity: Entity,
): EntityStackState & { retry: () => void } {
  const api = useApi(cloudFormationApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [state, setState] = useState<EntityStackState>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    api.getEntityStack({ kind, namespace, name }).then(
      answer => current && setState({ answer, loading: false }),
      error => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [api, kind, namespace, name, generation]);

  const inProgress =
    state.answer?.status === 'available' &&
    state.answer.stack.phase === 'in-progress';
  useEffect(() => {
    if (!inProgress) return undefined;
    // Keeps the last answer on screen while polling, so the card does not flash a spinner.
    const timer = setTimeout(
      () => setGeneration(n => n + 1),
      IN_PROGRESS_POLL_MS,
    );
    return () => clearTimeout(timer);
  }, [inProgress, state]);

  const retry = useCallback(() => {
    setState({ loading: true });
    setGeneration(n => n + 1);
  }, []);

  return { ...state, retry };
}
