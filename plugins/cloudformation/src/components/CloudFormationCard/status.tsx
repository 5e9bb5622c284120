import { ReactNode } from 'react';
import { Chip, makeStyles, Theme } from '@material-ui/core';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  StatusTone,
  toneOfStatus,
} from '@golden-path/plugin-cloudformation-common';

/**
 * What the service's owner can do about a stack a failed first create left, which the golden path's
 * deploy continues from (see `CONTINUABLE_STACK_STATUSES`); undefined for other states.
 */
export function wayForward(status: string): string | undefined {
  if (status === 'ROLLBACK_COMPLETE')
    return (
      'The first create rolled back and nothing was kept. Fix the cause, then run the template again ' +
      'with the same values ("Start over" on the failed task): it continues this service, deleting ' +
      'this stack and creating it again. Or retire the service to remove it.'
    );
  if (status === 'REVIEW_IN_PROGRESS')
    return (
      'A change set was made but never executed, so the stack has no resources. Run the template ' +
      'again with the same values ("Start over" on the task) to continue, or retire the service.'
    );
  return undefined;
}

/** `UPDATE_ROLLBACK_COMPLETE` → `Update rollback complete` */
export function humanize(status: string): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const toneColor = (theme: Theme, tone: StatusTone) =>
  ({
    ok: theme.palette.success,
    running: theme.palette.info,
    warning: theme.palette.warning,
    error: theme.palette.error,
    gone: {
      main: theme.palette.grey[500],
      contrastText: theme.palette.getContrastText(theme.palette.grey[500]),
    },
  })[tone];

const useChipStyles = makeStyles<Theme, { tone: StatusTone }>(theme => ({
  chip: {
    backgroundColor: ({ tone }) => toneColor(theme, tone).main,
    color: ({ tone }) => toneColor(theme, tone).contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/** The stack status as a colored chip. */
export function StackStatusChip(props: { status: string }) {
  const classes = useChipStyles({ tone: toneOfStatus(props.status) });
  return (
    <Chip
      className={classes.chip}
      size="small"
      label={humanize(props.status)}
    />
  );
}

const STATUS_ICONS: Record<
  StatusTone,
  (props: { children?: ReactNode }) => JSX.Element
> = {
  ok: StatusOK,
  running: StatusRunning,
  warning: StatusWarning,
  error: StatusError,
  gone: StatusAborted,
};

/** A resource or event status with its status icon. */
export function StatusLabel(props: { status: string }) {
  const Icon = STATUS_ICONS[toneOfStatus(props.status)];
  return <Icon>{humanize(props.status)}</Icon>;
}
