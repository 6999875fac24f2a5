export class ConfigError extends Error {
  constructor(message: string) {
    super(`Configuration: ${message}`);
    this.name = 'ConfigError';
  }
}
