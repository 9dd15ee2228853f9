export * from './sql-fragment';
export * from './columns';
export * from './filter-fields';
export * from './sql-filter';
export * from './text-search';
