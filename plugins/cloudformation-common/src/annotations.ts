/** Entity annotation naming the CloudFormation stack that runs the entity. */
export const ANNOTATION_CLOUDFORMATION_STACK_NAME =
  'aws.amazon.com/cloudformation-stack-name';
/** Entity annotation naming the stack's AWS region. */
export const ANNOTATION_CLOUDFORMATION_REGION =
  'aws.amazon.com/cloudformation-region';
/** Entity annotation naming the stack's AWS account id (12 digits). */
export const ANNOTATION_AWS_ACCOUNT_ID = 'aws.amazon.com/account-id';

/** Stack tag holding the Backstage entity ref that owns the stack; checked before any update. */
export const TAG_ENTITY_REF = 'backstage:entity-ref';
/** Stack tag holding the ref of the template that created the stack. */
export const TAG_TEMPLATE_REF = 'backstage:template';
