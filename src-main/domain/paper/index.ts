export * from './model';
export * from './instruments';
