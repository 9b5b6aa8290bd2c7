// Process trees over a capture (`scap ptree`).
export { ProcessForest } from './process-forest.js';
export type { ProcessExec, ProcessNode } from './process-forest.js';
export { describeProcess, emitForestJson, forestJson, forestText, selectForest } from './render.js';
export type { ForestView, ShownNode } from './render.js';
