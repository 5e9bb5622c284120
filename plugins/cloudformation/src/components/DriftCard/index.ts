export { DriftCard } from './DriftCard';
export type { DriftCardProps } from './DriftCard';
