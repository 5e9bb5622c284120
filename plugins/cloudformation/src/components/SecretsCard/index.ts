export { SecretsCard } from './SecretsCard';
export type { SecretsCardProps } from './SecretsCard';
