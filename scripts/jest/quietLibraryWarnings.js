/*
 * Drops the deprecation warnings React prints for libraries the frontends render and cannot
 * change (material-table's and react-beautiful-dnd's defaultProps, MUI v4's findDOMNode, a JSS
 * warning of MUI v4's styles in jsdom), so a test's own warnings — act(), prop types, failed
 * requests — are the only ones left to read. Imported by each frontend package's setupTests.ts.
 * Only these exact messages are dropped; everything else still prints.
 */
const { format } = require('node:util');

const LIBRARY_WARNINGS = [
  /^Warning: (MTable\w+|Connect\(Droppable\)|Connect\(Draggable\)|Droppable|Draggable): Support for defaultProps will be removed from (function|memo) components/,
  /^Warning: findDOMNode is deprecated and will be removed in the next major release/,
  /^Warning: \[JSS\] processedRuleToParse is not defined/,
];

for (const level of ['error', 'warn']) {
  const original = console[level];
  console[level] = (...args) => {
    const message = format(...args);
    if (LIBRARY_WARNINGS.some(pattern => pattern.test(message))) return;
    original(...args);
  };
}
