import { useState } from 'react';
import {
  alpha,
  Box,
  LinearProgress,
  makeStyles,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  Typography,
} from '@material-ui/core';
import { Link } from '@backstage/core-components';
import {
  CloudFormationStack,
  CloudFormationStackEvent,
  CloudFormationStackOutput,
  CloudFormationStackResource,
  isInProgress,
} from '@golden-path/plugin-cloudformation-common';
import { RelativeTime } from './RelativeTime';
import { humanize, StackStatusChip, StatusLabel, wayForward } from './status';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  },
  section: { marginBottom: theme.spacing(2) },
  failure: {
    marginBottom: theme.spacing(2),
    padding: theme.spacing(1.5, 2),
    borderLeft: `4px solid ${theme.palette.error.main}`,
    backgroundColor: alpha(theme.palette.error.main, 0.08),
  },
  progressText: { marginTop: theme.spacing(0.5) },
  secondary: { color: theme.palette.text.secondary, display: 'block' },
  value: { wordBreak: 'break-all' },
  // Long ids, types and reasons wrap; what still does not fit scrolls inside the card, not the page.
  tableScroll: { overflowX: 'auto', '& td': { overflowWrap: 'anywhere' } },
  unreadable: {
    padding: theme.spacing(1.5, 2),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    backgroundColor: alpha(theme.palette.warning.main, 0.08),
  },
}));

/** Everything the card shows about a stack that could be read. */
export function StackDetails(props: {
  stack: CloudFormationStack;
  retrievedAt: string;
}) {
  const { stack } = props;
  const classes = useStyles();
  const [tab, setTab] = useState(0);
  const unreadable = stack.unreadable ?? {};

  return (
    <>
      <Box className={classes.summary}>
        <StackStatusChip status={stack.status} />
        <Typography variant="body2">
          Last updated <RelativeTime iso={stack.lastUpdatedAt} />
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {stack.region}
          {stack.accountId && ` · account ${stack.accountId}`}
        </Typography>
      </Box>

      {stack.phase === 'failed' || stack.failure ? (
        <FailureNotice stack={stack} />
      ) : null}
      {stack.phase === 'in-progress' && <OperationProgress stack={stack} />}

      <Tabs
        value={tab}
        onChange={(_event, value) => setTab(value)}
        indicatorColor="primary"
        aria-label="Stack details"
      >
        <Tab label={`Outputs (${stack.outputs.length})`} />
        <Tab
          label={
            unreadable.resources
              ? 'Resources'
              : `Resources (${stack.resources.length})`
          }
        />
        <Tab label="Events" />
      </Tabs>
      <Box pt={1} className={classes.tableScroll}>
        {tab === 0 && (
          <OutputsTable
            outputs={stack.outputs}
            inProgress={stack.phase === 'in-progress'}
          />
        )}
        {tab === 1 &&
          (unreadable.resources ? (
            <UnreadablePart
              title="Could not read the resources"
              message={unreadable.resources}
            />
          ) : (
            <ResourcesTable resources={stack.resources} />
          ))}
        {tab === 2 &&
          (unreadable.events ? (
            <UnreadablePart
              title="Could not read the events"
              message={unreadable.events}
            />
          ) : (
            <EventsTable events={stack.events} />
          ))}
      </Box>
      <Typography variant="caption" className={classes.secondary}>
        Checked <RelativeTime iso={props.retrievedAt} />
      </Typography>
    </>
  );
}

/** The root cause sentence, prominently. */
function FailureNotice(props: { stack: CloudFormationStack }) {
  const { failure, statusReason } = props.stack;
  const next = wayForward(props.stack.status);
  const classes = useStyles();
  return (
    <Box role="alert" className={classes.failure}>
      <Typography variant="overline" color="error" display="block">
        Why the latest operation failed
      </Typography>
      <Typography variant="body1">
        {failure?.summary ?? statusReason ?? 'CloudFormation gave no reason.'}
      </Typography>
      {next && <Typography variant="body2">{next}</Typography>}
    </Box>
  );
}

function OperationProgress(props: { stack: CloudFormationStack }) {
  const { resources, events, status } = props.stack;
  const classes = useStyles();
  const busy = resources.filter(resource =>
    isInProgress(resource.status),
  ).length;
  const latest = events[0];
  return (
    <Box className={classes.section} role="status">
      <LinearProgress aria-label="Stack operation in progress" />
      <Typography variant="body2" className={classes.progressText}>
        {humanize(status)}: {busy} of {resources.length} resources in progress
        {latest && (
          <>
            {' · latest: '}
            {latest.logicalId} {humanize(latest.status).toLowerCase()}
          </>
        )}
      </Typography>
    </Box>
  );
}

/** A part of the stack the backend could not read: the rest of the card stays usable. */
function UnreadablePart(props: { title: string; message: string }) {
  const classes = useStyles();
  return (
    <Box role="note" aria-label={props.title} className={classes.unreadable}>
      <Typography variant="subtitle2">{props.title}</Typography>
      <Typography variant="body2">{props.message}</Typography>
    </Box>
  );
}

const isUrl = (value: string) => /^https?:\/\/\S+$/i.test(value);

function OutputsTable(props: {
  outputs: CloudFormationStackOutput[];
  inProgress: boolean;
}) {
  const classes = useStyles();
  if (props.outputs.length === 0) {
    return (
      <Typography variant="body2">
        {props.inProgress
          ? 'The stack has no outputs yet: CloudFormation reports them when the operation completes.'
          : 'CloudFormation reports no outputs for this stack: its template declares none, or the endpoint does ' +
            'not report them (moto, for one, gives stacks created from change sets no outputs). Links such as the ' +
            'service URL appear here once CloudFormation reports them.'}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Outputs">
      <TableHead>
        <TableRow>
          <TableCell>Output</TableCell>
          <TableCell>Value</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.outputs.map(output => (
          <TableRow key={output.key}>
            <TableCell>
              {output.key}
              {output.description && (
                <Typography variant="caption" className={classes.secondary}>
                  {output.description}
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.value}>
              {isUrl(output.value) ? (
                <Link to={output.value}>{output.value}</Link>
              ) : (
                output.value
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ResourcesTable(props: { resources: CloudFormationStackResource[] }) {
  const classes = useStyles();
  if (props.resources.length === 0)
    return (
      <Typography variant="body2">The stack has no resources yet.</Typography>
    );
  return (
    <Table size="small" aria-label="Resources">
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.resources.map(resource => (
          <TableRow key={resource.logicalId}>
            <TableCell>
              {resource.description ?? resource.logicalId}
              <Typography variant="caption" className={classes.secondary}>
                {resource.description ? `${resource.logicalId} · ` : ''}
                {resource.type}
              </Typography>
            </TableCell>
            <TableCell>
              <StatusLabel status={resource.status} />
              {resource.reason && (
                <Typography variant="caption" className={classes.secondary}>
                  {resource.reason}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function EventsTable(props: { events: CloudFormationStackEvent[] }) {
  const classes = useStyles();
  if (props.events.length === 0)
    return <Typography variant="body2">No events yet.</Typography>;
  return (
    <Table size="small" aria-label="Events">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Resource</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.events.map(event => (
          <TableRow key={event.id}>
            <TableCell>
              <RelativeTime iso={event.timestamp} />
            </TableCell>
            <TableCell>
              {event.logicalId}
              {event.resourceType && (
                <Typography variant="caption" className={classes.secondary}>
                  {event.resourceType}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <StatusLabel status={event.status} />
              {event.reason && (
                <Typography variant="caption" className={classes.secondary}>
                  {event.reason}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
