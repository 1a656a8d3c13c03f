export { escapeHelp, escapeLabelValue, formatValue, renderFamilies, type MetricFamily, type Sample } from './exposition.js';
export { renderMetrics } from './render.js';
export { writeMetricsTextfile } from './textfile.js';
export type { MetricsInput } from './types.js';
