export { CloudFormationCard } from './CloudFormationCard';
export type { CloudFormationCardProps } from './CloudFormationCard';
