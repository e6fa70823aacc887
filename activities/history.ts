/**
 * Moved to db/history.ts (the data-access layer); this re-export keeps the imports of other modules working until
 * they import db/history.ts directly.
 */
export { loadHistory, toolGrades, toSeasonLine, type History } from '../db/history.ts';
