import { checkTarget, type TargetPolicy, WebhookTargetRefused } from './webhook-target';

/** Names the stub resolver answers for, as a DNS server an attacker controls would. */
const DNS: Record<string, string[]> = {
  'rebind.example': ['127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.0.0.7'],
  'v6-private.example': ['fd00::7'],
  'receiver.example': ['93.184.216.34'],
  'intranet.example': ['10.20.3.4'],
};
const resolve = async (host: string) => {
  const addresses = DNS[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const DEFAULT: TargetPolicy = { allowHttp: false, allowNetworks: [], ownPort: () => 3000, resolve };
const refusal = (url: string, policy: TargetPolicy = DEFAULT) =>
  checkTarget(url, policy).then(
    () => 'accepted',
    (e: unknown) => (e instanceof WebhookTargetRefused ? e.reason : `unexpected: ${(e as Error).message}`),
  );

describe('webhook targets (SSRF): only public https addresses, in every spelling', () => {
  it.each([
    ['https://127.0.0.1/hook', 'address'],
    ['https://127.1/hook', 'address'],
    ['https://2130706433/hook', 'address'],
    ['https://0x7f000001/hook', 'address'],
    ['https://0177.0.0.1/hook', 'address'],
    ['https://127.000.000.001/hook', 'address'],
    ['https://0.0.0.0/hook', 'address'],
    ['https://0/hook', 'address'],
    ['https://localhost/hook', 'host'],
    ['https://LOCALHOST./hook', 'host'],
    ['https://api.localhost/hook', 'host'],
    ['https://[::1]/hook', 'address'],
    ['https://[::]/hook', 'address'],
    ['https://[::ffff:127.0.0.1]/hook', 'address'],
    ['https://[0:0:0:0:0:ffff:7f00:1]/hook', 'address'],
    ['https://[::ffff:169.254.169.254]/latest/meta-data', 'address'],
    ['https://[::127.0.0.1]/hook', 'address'],
    ['https://[64:ff9b::a9fe:a9fe]/hook', 'address'],
    ['https://[2002:c0a8:101::]/hook', 'address'],
    ['https://[64:ff9b:1::a00:1]/hook', 'address'],
    ['https://[3fff::1]/hook', 'address'],
    ['https://[5f00::1]/hook', 'address'],
    ['https://169.254.169.254/latest/meta-data', 'address'],
    ['https://[fe80::1]/hook', 'address'],
    ['https://[fd12:3456::1]/hook', 'address'],
    ['https://10.0.0.1/hook', 'address'],
    ['https://172.16.5.4/hook', 'address'],
    ['https://172.31.255.255/hook', 'address'],
    ['https://192.168.1.1/hook', 'address'],
    ['https://100.64.0.1/hook', 'address'],
    ['https://198.18.0.1/hook', 'address'],
    ['https://224.0.0.1/hook', 'address'],
    ['https://255.255.255.255/hook', 'address'],
    ['https://[ff02::1]/hook', 'address'],
    ['https://rebind.example/hook', 'address'],
    ['https://metadata.example/hook', 'address'],
    ['https://mixed.example/hook', 'address'],
    ['https://v6-private.example/hook', 'address'],
    ['https://nowhere.example/hook', 'unresolvable'],
    ['http://93.184.216.34/hook', 'scheme'],
    ['ftp://93.184.216.34/hook', 'scheme'],
    ['https://user:secret@receiver.example/hook', 'credentials'],
    ['not a url', 'host'],
  ])('%s is refused (%s)', async (url, reason) => {
    expect(await refusal(url)).toBe(reason);
  });

  it('accepts public addresses and names that resolve only to public addresses', async () => {
    expect(await refusal('https://93.184.216.34/hook')).toBe('accepted');
    expect(await refusal('https://receiver.example/banli')).toBe('accepted');
    expect(await refusal('https://[2606:2800:220:1:248:1893:25c8:1946]/hook')).toBe('accepted');
    expect(await refusal('https://172.32.0.1/hook')).toBe('accepted'); // just past 172.16.0.0/12
  });

  it('lets the operator’s networks through, and http only when allowed; never the service’s own port', async () => {
    const intranet: TargetPolicy = { ...DEFAULT, allowNetworks: ['10.20.0.0/16', '127.0.0.0/8'], allowHttp: true };
    expect(await refusal('https://intranet.example/hook', intranet)).toBe('accepted');
    expect(await refusal('http://10.20.9.9:8080/hook', intranet)).toBe('accepted');
    expect(await refusal('https://10.21.0.1/hook', intranet)).toBe('address');
    expect(await refusal('http://127.0.0.1:3001/hook', intranet)).toBe('accepted');
    expect(await refusal('http://127.0.0.1:3000/hook', intranet)).toBe('own-port');
    expect(await refusal('http://127.9.9.9:3000/hook', intranet)).toBe('own-port');
    expect(await refusal('http://[::ffff:127.0.0.1]:3000/hook', intranet)).toBe('own-port');
  });

  it('gives the address it checked, for the delivery to connect to and nothing else', async () => {
    expect(await checkTarget('https://receiver.example/banli', DEFAULT)).toMatchObject({ address: '93.184.216.34', family: 4 });
  });
});
