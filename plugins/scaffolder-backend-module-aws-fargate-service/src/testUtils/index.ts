/**
 * The blueprint's input matrix (every option combination the golden path offers) for tests in other
 * packages, published as `@golden-path/plugin-scaffolder-backend-module-aws-fargate-service/testUtils`.
 *
 * @packageDocumentation
 */
export {
  CERTIFICATE_ARN,
  EXISTING_KEY_ARN,
  EXISTING_VPC,
  HOSTILE_TEXT,
  INPUT_MATRIX,
  PRIVATE_ECR_IMAGE,
} from './inputMatrix';
