export * from './annotations';
export * from './metadata';
export * from './types';
export * from './drift';
export * from './permissions';
export * from './secrets';
