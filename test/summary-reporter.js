// Prints the plain closing line CI reads ("N passed, N failed"), after jest's own summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numRuntimeErrorTestSuites;
    process.stdout.write(
      `\nTests: ${results.numPassedTests} passed, ${results.numFailedTests + failedSuites} failed` +
        (skipped ? `, ${skipped} skipped` : '') +
        '\n',
    );
  }
}
module.exports = SummaryReporter;
