import type { FargateServiceSpec } from './input';
import { sub, type ResourceHandle } from './intrinsics';
import type { ResourceNames } from './naming';
import {
  addRedeployLogging,
  currentLabelMoved,
  ROTATION_EVENT_RULE,
} from './rotation';
import type { Add } from './stack';
import { assumeRolePolicy } from './trust';

/**
 * ECS reads secrets only when a task starts: when AWSCURRENT moves to a new version of the secret the
 * application reads (a finished rotation), a rule on that native event starts a state machine that
 * forces a new deployment. No code to maintain, no CloudTrail trail needed.
 */
export function addRedeployOnRotation(
  spec: FargateServiceSpec,
  names: ResourceNames,
  service: { cluster: ResourceHandle; service: ResourceHandle },
  secretArn: unknown,
  keyArn: unknown,
  add: Add,
): { stateMachine: ResourceHandle } {
  const logging = addRedeployLogging(spec, names, keyArn, add);
  const role = add(
    'RedeployStateMachineRole',
    'AWS::IAM::Role',
    'Lets the redeploy state machine restart this service only (and deliver its logs)',
    {
      AssumeRolePolicyDocument: assumeRolePolicy('states.amazonaws.com'),
      Policies: [
        allowOnly(
          'force-new-deployment',
          'ecs:UpdateService',
          service.service.ref(),
        ),
        {
          PolicyName: 'deliver-logs-and-traces',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [logging.roleStatement, logging.tracingStatement],
          },
        },
      ],
    },
  );
  const stateMachine = add(
    'RedeployStateMachine',
    'AWS::StepFunctions::StateMachine',
    'Restarts the service so tasks read the rotated password',
    {
      StateMachineType: 'STANDARD',
      RoleArn: role.getAtt('Arn'),
      LoggingConfiguration: logging.loggingConfiguration,
      TracingConfiguration: logging.tracingConfiguration,
      Definition: {
        Comment: `Force a new deployment of ${spec.serviceName} after its database credentials rotate`,
        StartAt: 'ForceNewDeployment',
        States: {
          ForceNewDeployment: {
            Type: 'Task',
            Resource: '${UpdateServiceTask}',
            Parameters: {
              Cluster: '${ClusterArn}',
              Service: '${ServiceArn}',
              ForceNewDeployment: true,
            },
            Retry: [
              {
                ErrorEquals: ['States.ALL'],
                IntervalSeconds: 10,
                MaxAttempts: 5,
                BackoffRate: 2,
              },
            ],
            End: true,
          },
        },
      },
      DefinitionSubstitutions: {
        UpdateServiceTask: sub(
          'arn:${AWS::Partition}:states:::aws-sdk:ecs:updateService',
        ),
        ClusterArn: service.cluster.getAtt('Arn'),
        ServiceArn: service.service.ref(),
      },
    },
    { group: 'automation' },
  );
  const eventRole = add(
    'RotationEventRole',
    'AWS::IAM::Role',
    'Lets the rotation rule start the redeploy state machine',
    {
      AssumeRolePolicyDocument: assumeRolePolicy('events.amazonaws.com'),
      Policies: [
        allowOnly(
          'start-redeploy',
          'states:StartExecution',
          stateMachine.ref(),
        ),
      ],
    },
  );
  add(
    ROTATION_EVENT_RULE,
    'AWS::Events::Rule',
    'Redeploys the service when its database secret rotates',
    {
      Description:
        'AWSCURRENT moving to a new version of the secret the application reads triggers a redeploy',
      State: 'ENABLED',
      EventPattern: currentLabelMoved(secretArn),
      Targets: [
        {
          Id: 'redeploy-service',
          Arn: stateMachine.ref(),
          RoleArn: eventRole.getAtt('Arn'),
        },
      ],
    },
    { group: 'automation' },
  );
  return { stateMachine };
}

/** An inline policy allowing one action on one resource. */
function allowOnly(policyName: string, action: string, resource: unknown) {
  return {
    PolicyName: policyName,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
    },
  };
}
