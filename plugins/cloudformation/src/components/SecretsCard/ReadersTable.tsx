import {
  alpha,
  Chip,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  CloudFormationReaderKind,
  CloudFormationSecretReaders,
} from '@golden-path/plugin-cloudformation-common';
import { RelativeTime } from '../CloudFormationCard/RelativeTime';

const KIND_LABELS: Record<CloudFormationReaderKind, string> = {
  'execution-role': 'Task execution role',
  'task-role': 'Task role',
  rotation: 'Rotation',
  other: 'Anyone else',
};

const useStyles = makeStyles(theme => ({
  unexpected: { backgroundColor: alpha(theme.palette.warning.main, 0.15) },
  principal: { wordBreak: 'break-all' },
  note: { marginTop: theme.spacing(1) },
}));

/** Who called GetSecretValue on the secret in the window; anyone unexpected is highlighted first. */
export function ReadersTable(props: {
  readers: CloudFormationSecretReaders;
  windowDays: number;
}) {
  const classes = useStyles();
  const { readers, windowDays } = props;
  if (readers.status === 'unavailable') {
    return (
      <Typography variant="body2" color="textSecondary" role="status">
        Readers unavailable: {readers.message}
      </Typography>
    );
  }
  if (readers.readers.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nobody read this secret in the last {windowDays} days.
      </Typography>
    );
  }
  const unexpected = readers.readers.filter(reader => reader.unexpected).length;
  return (
    <>
      <Table size="small" aria-label="Readers">
        <TableHead>
          <TableRow>
            <TableCell>Principal</TableCell>
            <TableCell>Who</TableCell>
            <TableCell align="right">Reads</TableCell>
            <TableCell>Last read</TableCell>
            <TableCell>From</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {readers.readers.map(reader => (
            <TableRow
              key={reader.principal}
              className={reader.unexpected ? classes.unexpected : undefined}
            >
              <TableCell className={classes.principal}>
                {reader.principal}
              </TableCell>
              <TableCell>
                {reader.unexpected ? (
                  <Chip
                    size="small"
                    color="secondary"
                    label="Unexpected reader"
                  />
                ) : (
                  KIND_LABELS[reader.kind]
                )}
              </TableCell>
              <TableCell align="right">
                {reader.reads}
                {reader.deniedReads ? ` (${reader.deniedReads} denied)` : ''}
              </TableCell>
              <TableCell>
                <RelativeTime iso={reader.lastReadAt} />
              </TableCell>
              <TableCell>{reader.sourceAddresses.join(', ')}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography
        variant="body2"
        className={classes.note}
        color={unexpected ? 'error' : 'textSecondary'}
      >
        {unexpected
          ? `${unexpected} unexpected reader${unexpected > 1 ? 's' : ''} in the last ${windowDays} days: not the task execution role, the task role or the rotation.`
          : `Nothing unexpected: only the service and the rotation read this secret in the last ${windowDays} days.`}
        {readers.truncated
          ? ' CloudTrail held more reads than the card reads at once; counts are a lower bound.'
          : ''}
      </Typography>
    </>
  );
}
