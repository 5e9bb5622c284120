export * from './annotations';
export * from './metadata';
export * from './types';
export * from './nameAvailability';
export * from './serviceName';
export * from './networks';
