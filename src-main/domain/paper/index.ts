export * from './model';
export * from './instruments';
export * from './trailing';
