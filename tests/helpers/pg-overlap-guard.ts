// node-postgres queues a query sent to a client that is still running one, and warns once (pg@9 will throw). On a
// transaction's client that means code ran queries side by side where it had to run them one after the other:
// fail the run instead of letting a warning scroll by.
process.on('warning', (warning) => {
  if (warning.name === 'DeprecationWarning' && warning.message.includes('already executing a query')) {
    throw new Error(`queries sent side by side on one PostgreSQL client: ${warning.stack ?? warning.message}`);
  }
});
