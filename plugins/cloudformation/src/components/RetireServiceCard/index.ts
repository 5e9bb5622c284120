export {
  DEFAULT_RETIRE_TEMPLATE,
  RetireServiceCard,
  retireTemplateUrl,
} from './RetireServiceCard';
export type { RetireServiceCardProps } from './RetireServiceCard';
