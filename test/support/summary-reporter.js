// Ends every jest run with one machine-readable line: "<passed> passed, <failed> failed".
'use strict';
const { writeSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    let line = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    if (results.numPendingTests > 0) line += `, ${results.numPendingTests} skipped`;
    // Printed at exit so it follows jest's own summary (its reporter runs after custom ones)
    // and the global teardown: it is the last line of the run. Sync write: we are exiting.
    process.once('exit', () => writeSync(1, `\n${line}\n`));
  }
}

module.exports = SummaryReporter;
