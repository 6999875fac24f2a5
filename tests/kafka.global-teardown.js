const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalTeardown() {
  const port = process.env.BANLI_TEST_KAFKA_STARTED;
  if (!port) return;
  execFileSync(join(__dirname, '../deploy/local/kafka/kafka.sh'), ['stop'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: port } });
};
