import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { CloudFormationDeployTargets } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';

interface DeployTargetsState {
  targets?: CloudFormationDeployTargets;
  error?: Error;
  loading: boolean;
}

/** The allowed deploy targets from the backend; read again on `retry()`. */
export function useDeployTargets(): DeployTargetsState & { retry: () => void } {
  const api = useApi(cloudFormationApiRef);
  const [state, setState] = useState<DeployTargetsState>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    api.getDeployTargets().then(
      targets => current && setState({ targets, loading: false }),
      error => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [api, generation]);

  const retry = useCallback(() => {
    setState({ loading: true });
    setGeneration(n => n + 1);
  }, []);

  return { ...state, retry };
}
