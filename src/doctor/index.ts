// `tickfleet doctor`: what an unattended fleet depends on, each finding with its fix.
export * from './types.js';
export { runDoctor, runDoctorCommand, hasErrors } from './doctor.js';
export { formatFindings, type FindingStyle } from './format.js';
