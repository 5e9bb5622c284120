import { Button } from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';

/** A failed request, expanded, with a Retry button: the card and the form field show errors alike. */
export function RetryableError(props: {
  title: string;
  error: Error;
  retry: () => void;
}) {
  return (
    <WarningPanel
      severity="error"
      title={props.title}
      message={props.error.message}
      defaultExpanded
    >
      <Button variant="outlined" onClick={props.retry}>
        Retry
      </Button>
    </WarningPanel>
  );
}
