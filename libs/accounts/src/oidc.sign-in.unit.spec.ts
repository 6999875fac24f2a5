import { safeNext } from './oidc.sign-in';

describe('where an OIDC sign-in returns to', () => {
  it('a path of this console is kept', () => {
    expect(safeNext('/items?status=assigned&q=%E5%85%BB%E8%80%81')).toBe('/items?status=assigned&q=%E5%85%BB%E8%80%81');
    expect(safeNext('/items/pp-123')).toBe('/items/pp-123');
  });

  it('anything that could leave the site goes to the workbench instead', () => {
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, 42, '/a b', `/${'x'.repeat(600)}`]) {
      expect([next, safeNext(next)]).toEqual([next, '/workbench']);
    }
  });
});
