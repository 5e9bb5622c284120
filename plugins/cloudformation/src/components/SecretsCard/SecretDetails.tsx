import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { CloudFormationSecret } from '@golden-path/plugin-cloudformation-common';
import { RelativeTime } from '../CloudFormationCard/RelativeTime';
import { ReadersTable } from './ReadersTable';

const useStyles = makeStyles(theme => ({
  secret: { marginBottom: theme.spacing(3) },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(1, 0),
  },
  label: { color: theme.palette.text.secondary },
  arn: { wordBreak: 'break-all' },
}));

/** One secret: its key, rotation, whether the tasks hold the current version, and its readers. */
export function SecretDetails(props: {
  secret: CloudFormationSecret;
  windowDays: number;
}) {
  const classes = useStyles();
  const { secret, windowDays } = props;
  const details = secret.details;
  return (
    <Box
      className={classes.secret}
      component="section"
      aria-label={details.status === 'available' ? details.name : secret.arn}
    >
      <Box className={classes.heading}>
        <Typography variant="subtitle1" component="h3">
          {details.status === 'available' ? details.name : secret.arn}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {secret.source.kind === 'resource'
            ? `resource ${secret.source.name}`
            : `output ${secret.source.name}`}
        </Typography>
      </Box>
      {details.status === 'unavailable' ? (
        <Typography variant="body2" color="textSecondary" role="status">
          {details.message}
        </Typography>
      ) : (
        <Box className={classes.facts}>
          <span className={classes.label}>KMS key</span>
          <span className={classes.arn}>
            {details.key.kind === 'aws-managed' ? (
              'AWS managed (aws/secretsmanager)'
            ) : (
              <>
                Customer managed:{' '}
                {details.key.consoleUrl ? (
                  <Link to={details.key.consoleUrl}>{details.key.keyId}</Link>
                ) : (
                  details.key.keyId
                )}
              </>
            )}
          </span>
          <span className={classes.label}>Rotation</span>
          <span>
            <RotationSummary rotation={details.rotation} />
          </span>
          {details.rotation.lastRotatedAt && (
            <>
              <span className={classes.label}>Last rotated</span>
              <span>
                <RelativeTime iso={details.rotation.lastRotatedAt} /> (
                {new Date(details.rotation.lastRotatedAt).toLocaleString()})
              </span>
            </>
          )}
          {details.rotation.nextRotationAt && (
            <>
              <span className={classes.label}>Next rotation</span>
              <span>
                <RelativeTime iso={details.rotation.nextRotationAt} />
              </span>
            </>
          )}
          <span className={classes.label}>Last result</span>
          <span>
            <RotationResult secret={secret} />
          </span>
          <span className={classes.label}>Running tasks</span>
          <span>
            <TaskFreshness tasks={secret.tasks} />
          </span>
        </Box>
      )}
      <Typography variant="subtitle2" component="h4">
        Who read it (last {windowDays} days)
      </Typography>
      <ReadersTable readers={secret.readers} windowDays={windowDays} />
    </Box>
  );
}

function RotationSummary(props: {
  rotation: Extract<
    CloudFormationSecret['details'],
    { status: 'available' }
  >['rotation'];
}) {
  const { rotation } = props;
  if (!rotation.enabled) return <Chip size="small" label="Rotation off" />;
  const every = rotation.intervalDays
    ? `every ${rotation.intervalDays} days`
    : (rotation.scheduleExpression ?? 'scheduled');
  const by = rotation.managedBy
    ? ` by ${rotation.managedBy.toUpperCase()}`
    : rotation.functionArn
      ? ` by ${rotation.functionArn.split(':').pop()}`
      : '';
  return (
    <>
      <Chip size="small" color="primary" label="Rotation on" /> {every}
      {by}
    </>
  );
}

function RotationResult(props: { secret: CloudFormationSecret }) {
  const details = props.secret.details;
  if (details.status !== 'available') return null;
  const { lastResult, pendingVersion } = details.rotation;
  if (lastResult?.outcome === 'failed' || pendingVersion) {
    return (
      <Typography variant="body2" color="error" component="span">
        Rotation failed
        {lastResult?.outcome === 'failed' ? (
          <>
            {' '}
            <RelativeTime iso={lastResult.at} />
          </>
        ) : null}
        {pendingVersion ? ': a version is left AWSPENDING' : ''}
      </Typography>
    );
  }
  if (lastResult) {
    return (
      <>
        Succeeded <RelativeTime iso={lastResult.at} />
      </>
    );
  }
  if (props.secret.readers.status === 'unavailable')
    return <>Unknown (CloudTrail not readable)</>;
  return <>No rotation recorded in the window</>;
}

function TaskFreshness(props: { tasks: CloudFormationSecret['tasks'] }) {
  const { tasks } = props;
  if (tasks.status !== 'available') return <>{tasks.message}</>;
  if (tasks.state === 'no-tasks')
    return <>No running tasks of {tasks.serviceName}</>;
  if (tasks.state === 'stale') {
    return (
      <Typography variant="body2" color="error" component="span">
        {tasks.staleTasks} of {tasks.runningTasks} tasks of {tasks.serviceName}{' '}
        started before the last rotation and hold the previous credentials:
        redeploy the service.
      </Typography>
    );
  }
  return (
    <>
      All {tasks.runningTasks} tasks of {tasks.serviceName} started after the
      last rotation: they hold the current credentials.
    </>
  );
}
