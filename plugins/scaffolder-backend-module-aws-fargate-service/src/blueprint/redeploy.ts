import type { FargateServiceSpec } from './input';
import { getAtt, ref, sub } from './intrinsics';
import type { ResourceNames } from './naming';
import { addRedeployLogging, currentLabelMoved } from './rotation';
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
  secretArn: unknown,
  keyArn: unknown,
  add: Add,
) {
  const logging = addRedeployLogging(spec, names, keyArn, add);
  add(
    'RedeployStateMachineRole',
    'AWS::IAM::Role',
    'Lets the redeploy state machine restart this service only (and deliver its logs)',
    {
      AssumeRolePolicyDocument: assumeRolePolicy('states.amazonaws.com'),
      Policies: [
        allowOnly('force-new-deployment', 'ecs:UpdateService', ref('Service')),
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
  add(
    'RedeployStateMachine',
    'AWS::StepFunctions::StateMachine',
    'Restarts the service so tasks read the rotated password',
    {
      StateMachineType: 'STANDARD',
      RoleArn: getAtt('RedeployStateMachineRole', 'Arn'),
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
        ClusterArn: getAtt('Cluster', 'Arn'),
        ServiceArn: ref('Service'),
      },
    },
    { group: 'automation' },
  );
  add(
    'RotationEventRole',
    'AWS::IAM::Role',
    'Lets the rotation rule start the redeploy state machine',
    {
      AssumeRolePolicyDocument: assumeRolePolicy('events.amazonaws.com'),
      Policies: [
        allowOnly(
          'start-redeploy',
          'states:StartExecution',
          ref('RedeployStateMachine'),
        ),
      ],
    },
  );
  add(
    'RotationEventRule',
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
          Arn: ref('RedeployStateMachine'),
          RoleArn: getAtt('RotationEventRole', 'Arn'),
        },
      ],
    },
    { group: 'automation' },
  );
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
