import {
  Box,
  Button,
  Chip,
  LinearProgress,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  InfoCardVariants,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CloudFormationResourceDrift,
  CloudFormationStackDrift,
} from '@golden-path/plugin-cloudformation-common';
import { RelativeTime } from '../CloudFormationCard/RelativeTime';
import { pendingCardContent } from '../PendingCardContent';
import { useEntityDrift } from './useEntityDrift';

const STATUS_LABELS: Record<string, string> = {
  IN_SYNC: 'In sync',
  DRIFTED: 'Drifted',
  MODIFIED: 'Modified',
  DELETED: 'Deleted',
  NOT_CHECKED: 'Never checked',
  UNKNOWN: 'Unknown',
};

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  },
  value: { wordBreak: 'break-all', fontFamily: 'monospace' },
}));

/** Props of {@link DriftCard}. @public */
export interface DriftCardProps {
  variant?: InfoCardVariants;
}

/**
 * The drift of the entity's stack: the last detection's status, per resource expected against
 * actual values (secrets masked), and — for the entity's owners — a "Check drift" button.
 *
 * @public
 */
export function DriftCard(props: DriftCardProps) {
  const classes = useStyles();
  const { entity } = useEntity();
  const state = useEntityDrift(entity);
  const { answer, detect, detecting, detectError } = state;

  let content = pendingCardContent(state, 'Could not read the drift');
  if (!content && answer?.status === 'available') {
    const { drift, canDetect } = answer;
    const button = (
      <span>
        <Button
          variant="outlined"
          color="primary"
          onClick={detect}
          disabled={!canDetect || detecting}
        >
          Check drift
        </Button>
      </span>
    );
    content = (
      <>
        <Box className={classes.summary}>
          <Chip
            label={STATUS_LABELS[drift.status] ?? drift.status}
            color={drift.status === 'DRIFTED' ? 'secondary' : 'default'}
            aria-label={`Stack drift: ${STATUS_LABELS[drift.status] ?? drift.status}`}
          />
          <Typography variant="body2">
            {drift.checkedAt ? (
              <>
                Checked <RelativeTime iso={drift.checkedAt} />
              </>
            ) : (
              'No drift detection has run yet.'
            )}
          </Typography>
          {canDetect ? (
            button
          ) : (
            <Tooltip title="Only the entity's owners may check drift">
              {button}
            </Tooltip>
          )}
        </Box>
        {detecting && (
          <Box mb={2}>
            <LinearProgress />
            <Typography variant="body2">
              CloudFormation is comparing every resource with the template…
            </Typography>
          </Box>
        )}
        {detectError && (
          <WarningPanel
            severity="error"
            title="Could not check drift"
            message={detectError.message}
            defaultExpanded
          />
        )}
        <DetectionOutcome detection={drift.detection} />
        <ResourceDrifts drift={drift} />
      </>
    );
  }

  return (
    <InfoCard title="Stack drift" variant={props.variant}>
      {content}
    </InfoCard>
  );
}

function DetectionOutcome(props: {
  detection: CloudFormationStackDrift['detection'];
}) {
  const { detection } = props;
  if (!detection || detection.status === 'DETECTION_COMPLETE') return null;
  if (detection.status === 'DETECTION_FAILED') {
    return (
      <WarningPanel
        severity="warning"
        title="Drift detection failed"
        message={detection.reason ?? 'CloudFormation gave no reason.'}
        defaultExpanded
      />
    );
  }
  return (
    <Typography variant="body2">
      Detection {detection.id} is still running; check again in a minute.
    </Typography>
  );
}

function ResourceDrifts(props: { drift: CloudFormationStackDrift }) {
  const classes = useStyles();
  const changed = props.drift.resources.filter(
    resource => resource.status === 'MODIFIED' || resource.status === 'DELETED',
  );
  if (props.drift.status === 'NOT_CHECKED') return null;
  if (changed.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Every checked resource matches the template (
        {props.drift.resources.length} checked).
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Drifted resources">
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Drift</TableCell>
          <TableCell>Property</TableCell>
          <TableCell>Expected</TableCell>
          <TableCell>Actual</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changed.flatMap(resource => rowsOf(resource, classes.value))}
      </TableBody>
    </Table>
  );
}

function rowsOf(resource: CloudFormationResourceDrift, valueClass: string) {
  const head = (
    <TableCell>
      {resource.logicalId}
      <Typography variant="caption" display="block" color="textSecondary">
        {resource.type}
      </Typography>
    </TableCell>
  );
  const status = (
    <TableCell>{STATUS_LABELS[resource.status] ?? resource.status}</TableCell>
  );
  if (resource.differences.length === 0) {
    return [
      <TableRow key={resource.logicalId}>
        {head}
        {status}
        <TableCell colSpan={3}>
          {resource.status === 'DELETED'
            ? 'The resource no longer exists.'
            : ''}
        </TableCell>
      </TableRow>,
    ];
  }
  return resource.differences.map((difference, index) => (
    <TableRow key={`${resource.logicalId}${difference.path}`}>
      {index === 0 ? head : <TableCell />}
      {index === 0 ? status : <TableCell />}
      <TableCell className={valueClass}>{difference.path}</TableCell>
      <TableCell className={valueClass}>{difference.expected ?? '—'}</TableCell>
      <TableCell className={valueClass}>{difference.actual ?? '—'}</TableCell>
    </TableRow>
  ));
}
