export { ServiceTaskList } from './ServiceTaskList';
export type { ServiceTaskListProps } from './ServiceTaskList';
