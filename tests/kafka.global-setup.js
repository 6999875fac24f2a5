// Starts a real Apache Kafka broker for the suites that need one, with the project's own script, unless
// KAFKA_BROKERS names one already. The test workers inherit KAFKA_BROKERS.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  // The distributed suite runs a broker of its own (it stops and restarts it).
  if (process.env.BANLI_NO_TEST_KAFKA === '1') return;
  if (process.env.KAFKA_BROKERS) {
    process.stdout.write(`\n[kafka] using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}\n`);
    return;
  }
  const port = process.env.BANLI_TEST_KAFKA_PORT ?? '19092';
  // The same broker also listens with TLS and SCRAM, for the secure connection's own suite.
  const securePort = String(Number(port) + 2);
  const credentials = { KAFKA_SASL_USERNAME: 'banli-test', KAFKA_SASL_PASSWORD: 'banli-test-scram-password' };
  process.stdout.write(`\n[kafka] KAFKA_BROKERS is unset: starting a broker on 127.0.0.1:${port} (deploy/local/kafka/kafka.sh)\n`);
  execFileSync(join(__dirname, '../deploy/local/kafka/kafka.sh'), ['start'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: port, KAFKA_SECURE_PORT: securePort, ...credentials } });
  process.env.KAFKA_BROKERS = `127.0.0.1:${port}`;
  process.env.BANLI_TEST_KAFKA_STARTED = port;
  process.env.BANLI_TEST_KAFKA_SECURE_BROKERS = `127.0.0.1:${securePort}`;
  process.env.BANLI_TEST_KAFKA_CA_FILE = join(process.env.BANLI_KAFKA_HOME ?? join(require('node:os').homedir(), '.cache/banli-kafka'), `run-${port}`, 'tls', 'ca.pem');
  process.env.BANLI_TEST_KAFKA_SASL_USERNAME = credentials.KAFKA_SASL_USERNAME;
  process.env.BANLI_TEST_KAFKA_SASL_PASSWORD = credentials.KAFKA_SASL_PASSWORD;
};
