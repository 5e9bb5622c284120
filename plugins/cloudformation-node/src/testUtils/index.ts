/**
 * Test doubles for code that talks to CloudFormation, published as `@golden-path/plugin-cloudformation-node/testUtils`.
 *
 * @packageDocumentation
 */
export {};
