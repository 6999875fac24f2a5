import { InProcessMessageBus } from './in-process.message-bus';
import { messageBusContract } from './testing/message-bus.contract';

describe('InProcessMessageBus — message bus contract', () => {
  messageBusContract(async () => {
    const bus = new InProcessMessageBus();
    return { bus, topic: 'banli.test', durable: false, cleanup: () => bus.close() };
  });

  it('refuses a second subscription of one group to one topic', async () => {
    const bus = new InProcessMessageBus();
    await bus.subscribe('t', 'g', () => undefined);
    await expect(bus.subscribe('t', 'g', () => undefined)).rejects.toThrow('already subscribed');
  });
});
